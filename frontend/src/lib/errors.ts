/**
 * GraphQL errors in words: what happened and what to do, for people rather than programs.
 */
import type { CombinedError } from '@urql/core'

export interface Problem {
  code: string
  /** What the reader sees. */
  message: string
  /** The input field the problem is about, when the API named one. */
  field?: string
  /** The part of the system that failed (SUBGRAPH_UNAVAILABLE). */
  service?: string
}

interface ErrorLike {
  message: string
  extensions?: Record<string, unknown>
}

/** Friendly names of the subgraphs, for "the ... service is not answering". */
const SERVICES: Record<string, string> = {
  users: 'accounts',
  orders: 'orders',
  products: 'catalogue',
  payments: 'payments',
  notifications: 'notifications',
  repositories: 'repositories',
  audit: 'audit log',
}

const LIMITS = new Set([
  'MAX_DEPTH_LIMIT',
  'MAX_ALIASES_LIMIT',
  'MAX_ROOT_FIELDS_LIMIT',
  'MAX_DIRECTIVES_LIMIT',
  'MAX_TOKENS_LIMIT',
  'COST_ESTIMATED_TOO_EXPENSIVE',
  'DOCUMENT_TOO_LARGE',
  'PAYLOAD_TOO_LARGE',
])

/** One problem per GraphQL error (or one for a network failure). */
export function problemsOf(error: CombinedError | null | undefined): Problem[] {
  if (!error) return []
  if (error.graphQLErrors.length === 0) return [networkProblem(error)]
  return error.graphQLErrors.map((e) => describe(e))
}

/** True when the server said the caller is not (or no longer) signed in. */
export function isUnauthenticated(error: CombinedError | null | undefined): boolean {
  return problemsOf(error).some((p) => p.code === 'UNAUTHENTICATED')
}

export function describe(error: ErrorLike): Problem {
  const ext = error.extensions ?? {}
  const code = typeof ext.code === 'string' ? ext.code : 'UNKNOWN'
  const field = typeof ext.field === 'string' ? ext.field : undefined
  switch (code) {
    case 'UNAUTHENTICATED':
      return { code, message: unauthenticated(error.message) }
    case 'FORBIDDEN':
    case 'UNAUTHORIZED_FIELD_OR_TYPE':
      return {
        code,
        message: 'Your account is not allowed to do this. Ask an administrator if you need it.',
      }
    case 'VALIDATION_FAILED':
    case 'BAD_USER_INPUT':
      return { code, field, message: validation(error.message, ext) }
    case 'NOT_FOUND':
      return { code, field, message: `${error.message} It may have been removed; go back and reload the list.` }
    case 'CONFLICT':
      return { code, field, message: `${error.message} Reload the page to see the current state.` }
    case 'SUBGRAPH_UNAVAILABLE':
    case 'DOWNSTREAM_SERVICE_ERROR':
    case 'SUPERGRAPH_UNAVAILABLE': {
      const service = typeof ext.serviceName === 'string' ? ext.serviceName : undefined
      const name = service ? `The ${SERVICES[service] ?? service} service` : 'A part of the system'
      return {
        code,
        service,
        message: `${name} is not answering right now, so this part of the page is empty. Try again in a minute.`,
      }
    }
    case 'RATE_LIMITED':
    case 'TOO_MANY_ATTEMPTS':
      return { code, message: tooMany(ext) }
    case 'INTERNAL':
    case 'INTERNAL_SERVER_ERROR':
      return { code, message: `Something went wrong on our side. ${error.message}` }
    default:
      if (LIMITS.has(code)) {
        return {
          code,
          message: `The server refused this request as too large (${code}): ${error.message} Ask for fewer items per page.`,
        }
      }
      return { code, message: error.message }
  }
}

function unauthenticated(message: string): string {
  if (/wrong login or password/i.test(message)) {
    return 'Wrong login or password. Check both and try again.'
  }
  return 'Your session has ended. Sign in again to continue.'
}

function validation(message: string, ext: Record<string, unknown>): string {
  const problems = Array.isArray(ext.problems) ? ext.problems : []
  const lines = problems
    .filter((p): p is { field: string; message: string } => typeof p?.message === 'string')
    .map((p) => `${fieldLabel(p.field)}: ${p.message}`)
  return lines.length ? `Please correct: ${lines.join('; ')}.` : message
}

function tooMany(ext: Record<string, unknown>): string {
  const wait = Number(ext.retryAfter)
  const when = Number.isFinite(wait) && wait > 0 ? `in ${Math.ceil(wait)} seconds` : 'in a moment'
  return `Too many attempts. Wait and try again ${when}.`
}

function networkProblem(error: CombinedError): Problem {
  const status = (error.response as { status?: number } | undefined)?.status
  if (status === 429) return { code: 'RATE_LIMITED', message: tooMany({}) }
  if (status && status >= 500) {
    return { code: 'SERVER_ERROR', message: `The server failed (HTTP ${status}). Try again in a minute.` }
  }
  return {
    code: 'NETWORK',
    message: 'Cannot reach the server. Check your connection and try again.',
  }
}

/** "shippingAddress" -> "Shipping address"; "input.items[0].quantity" -> "Quantity". */
export function fieldLabel(field: string | undefined): string {
  if (!field) return 'Input'
  const last = field.split('.').pop()!.replace(/\[\d+\]/g, '')
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
