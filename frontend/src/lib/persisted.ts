/**
 * Persisted documents (docs/persisted-queries.md): every operation goes to the gateway by the
 * SHA-256 id GraphQL Code Generator gave it (`__meta__.hash`, listed in
 * src/gql/persisted-documents.json, the manifest the gateway's safelist reads), as
 * `extensions.persistedQuery`, without its text. A gateway that does not know the id
 * (PERSISTED_QUERY_NOT_FOUND) or takes no ids (PERSISTED_QUERY_NOT_SUPPORTED) did not run the
 * operation: it is sent once more with its text and no id, and this client sends texts from then
 * on. A safelist refusal (PERSISTED_QUERY_NOT_IN_LIST) is final: the text would be refused too.
 */
import { type Exchange, mapExchange, type Operation, stringifyDocument } from '@urql/core'

const RESEND = new Set(['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED'])
const PREFIX = 'sha256:'

export interface PersistedDocuments {
  /** Names each operation by its id (place before `fetchExchange`). */
  exchange: Exchange
  /** `fetch` resending an operation with its text when the gateway could not use its id. */
  fetch: (inner: typeof fetch) => typeof fetch
}

export function persistedDocuments(): PersistedDocuments {
  let textsOnly = false
  const texts = new Map<string, string>()

  const exchange = mapExchange({
    onOperation(operation: Operation) {
      const hash = (operation.query as { __meta__?: { hash?: unknown } }).__meta__?.hash
      // Queries and mutations only: subscriptions go over their own transport, with their text.
      const byId = operation.kind === 'query' || operation.kind === 'mutation'
      if (textsOnly || !byId || typeof hash !== 'string' || !hash.startsWith(PREFIX)) {
        return operation
      }
      const id = hash.slice(PREFIX.length)
      texts.set(id, stringifyDocument(operation.query))
      const persistedQuery = { version: 1 as const, sha256Hash: id }
      return { ...operation, extensions: { ...operation.extensions, persistedQuery } }
    },
  })

  const wrap = (inner: typeof fetch): typeof fetch =>
    (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await inner(input, init)
      const body = typeof init?.body === 'string' ? parse(init.body) : undefined
      const id = body?.extensions?.persistedQuery?.sha256Hash
      if (!body || typeof id !== 'string' || typeof body.query === 'string' || !texts.has(id)) {
        return response
      }
      const answer = parse(await response.clone().text())
      const codes = (answer?.errors ?? []).map((error) => error?.extensions?.code)
      if (!codes.some((code) => typeof code === 'string' && RESEND.has(code))) return response
      textsOnly = true
      const { persistedQuery: _, ...extensions } = body.extensions ?? {}
      const resent = { ...body, query: texts.get(id), extensions }
      return inner(input, { ...init, body: JSON.stringify(resent) })
    }) as typeof fetch

  return { exchange, fetch: wrap }
}

interface Body {
  query?: unknown
  extensions?: { persistedQuery?: { sha256Hash?: unknown } } & Record<string, unknown>
  errors?: { extensions?: { code?: unknown } }[]
  [key: string]: unknown
}

function parse(text: string): Body | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' ? (value as Body) : undefined
  } catch {
    return undefined
  }
}
