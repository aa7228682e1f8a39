import { Kind, type OperationDefinitionNode, parse } from 'graphql'

/**
 * The fetch GraphiQL sends through: asks the gateway for the query plan (`X-Query-Plan: true`,
 * answered outside production as `extensions.queryPlan`) and hands it to `onPlan`.
 */
export type PlanListener = (plan: PlanState) => void

export type PlanState =
  | { kind: 'none' }
  | { kind: 'plan'; text: string; operationName: string | null }
  | { kind: 'absent'; reason: string }

export function planFetch(
  inner: typeof fetch,
  wantPlan: () => boolean,
  onPlan: PlanListener,
): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers)
    if (wantPlan()) headers.set('X-Query-Plan', 'true')
    const response = await inner(input, { ...init, headers })
    const body = typeof init?.body === 'string' ? init.body : ''
    if (isIntrospection(body)) return response
    void response
      .clone()
      .json()
      .then((payload: { extensions?: { queryPlan?: unknown } }) => {
        const plan = payload?.extensions?.queryPlan
        if (typeof plan === 'string') onPlan({ kind: 'plan', text: plan, operationName: operationNameOf(body) })
        else onPlan({ kind: 'absent', reason: wantPlan() ? 'The gateway sent no plan for this answer (it was refused before planning, or plans are off in production).' : 'Plans are switched off above.' })
      })
      .catch(() => onPlan({ kind: 'absent', reason: `The answer was not JSON (HTTP ${response.status}).` }))
    return response
  }
}

/** GraphiQL's own schema fetch: not the user's operation, so it leaves the panel alone. */
function isIntrospection(body: string): boolean {
  try {
    return JSON.parse(body)?.operationName === 'IntrospectionQuery'
  } catch {
    return false
  }
}

/**
 * The operation the gateway runs for this body: its `operationName`, else the document's only
 * operation (GraphiQL may send none when the editor changed just before the run). Null when the
 * operation has no name, or when it cannot be told.
 */
export function operationNameOf(body: string): string | null {
  let request: { operationName?: unknown; query?: unknown }
  try {
    request = JSON.parse(body) ?? {}
  } catch {
    return null
  }
  if (typeof request.operationName === 'string' && request.operationName) return request.operationName
  if (typeof request.query !== 'string') return null
  try {
    const operations = parse(request.query).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )
    return operations.length === 1 ? (operations[0].name?.value ?? null) : null
  } catch {
    return null // not GraphQL: the gateway's answer says why
  }
}
