import { describe, expect, it } from 'vitest'
import { type PlanState, operationNameOf, planFetch } from '../src/graphiql/plan'

const answering = (payload: unknown) =>
  (async (_input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers)
    return new Response(JSON.stringify({ ...(payload as object), askedForPlan: headers.get('x-query-plan') }), {
      headers: { 'Content-Type': 'application/json' },
    })
  }) as typeof fetch

async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 0))
}

describe("GraphiQL's plan fetch", () => {
  it('asks for the plan and hands it over with the operation name', async () => {
    const seen: PlanState[] = []
    const fetchFn = planFetch(answering({ data: {}, extensions: { queryPlan: 'QueryPlan {\n}' } }), () => true, (p) => seen.push(p))
    const response = await fetchFn('/graphql', { method: 'POST', body: JSON.stringify({ query: '{a}', operationName: 'A' }) })
    expect((await response.json()).askedForPlan).toBe('true')
    await settle()
    expect(seen).toEqual([{ kind: 'plan', text: 'QueryPlan {\n}', operationName: 'A' }])
  })

  it('says why there is no plan, and leaves introspection alone', async () => {
    const seen: PlanState[] = []
    const fetchFn = planFetch(answering({ data: {} }), () => false, (p) => seen.push(p))
    await fetchFn('/graphql', { method: 'POST', body: JSON.stringify({ query: '{a}' }) })
    await fetchFn('/graphql', { method: 'POST', body: JSON.stringify({ query: '{__schema{types{name}}}', operationName: 'IntrospectionQuery' }) })
    await settle()
    expect(seen).toEqual([{ kind: 'absent', reason: 'Plans are switched off above.' }])
  })

  it("names the plan after the document's only operation when GraphiQL sends no operationName", () => {
    const body = (request: object) => JSON.stringify(request)
    expect(operationNameOf(body({ query: 'query TwoProducts { products { items { name } } }' }))).toBe('TwoProducts')
    expect(operationNameOf(body({ query: 'query A { a } query B { b }', operationName: 'B' }))).toBe('B')
    expect(operationNameOf(body({ query: 'query A { a } query B { b }' }))).toBeNull()
    expect(operationNameOf(body({ query: '{ a }' }))).toBeNull()
    expect(operationNameOf(body({ query: 'query {' }))).toBeNull()
    expect(operationNameOf('not json')).toBeNull()
  })
})
