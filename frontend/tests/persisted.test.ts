// Persisted documents against a fetch that answers like the gateway (no network): operations go
// by their manifest id without text; a gateway that does not know the id gets the text once more
// and from then on; a safelist refusal is not retried.
import { describe, expect, it } from 'vitest'
import manifest from '../src/gql/persisted-documents.json'
import { MeDoc } from '../src/api/session'
import { makeClient } from '../src/lib/client'
import { Session } from '../src/lib/session'
import { memoryStore } from '../src/lib/storage'

interface Body {
  query?: string
  operationName?: string
  extensions?: { persistedQuery?: { version: number; sha256Hash: string } }
}

function gateway(answer: (body: Body) => unknown) {
  const sent: Body[] = []
  const fetchFn = (async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Body
    sent.push(body)
    return new Response(JSON.stringify(answer(body)), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    })
  }) as typeof fetch
  return { sent, fetchFn }
}

const me = { id: '7', name: 'Grace', username: 'grace', email: 'g@example.com', age: null, role: 'USER', active: true, createdAt: '2024-01-01T00:00:00' }
const refusal = (code: string) => ({ data: null, errors: [{ message: code, extensions: { code } }] })
const client = (fetchFn: typeof fetch) => makeClient(new Session(memoryStore(), () => 0), 'http://gw/graphql', fetchFn)
const meId = (MeDoc as unknown as { __meta__: { hash: string } }).__meta__.hash.replace('sha256:', '')

describe('persisted documents', () => {
  it('names each operation by its manifest id, without its text', async () => {
    const { sent, fetchFn } = gateway(() => ({ data: { me } }))
    const result = await client(fetchFn).query(MeDoc, {}).toPromise()
    expect(result.data?.me?.name).toBe('Grace')
    expect(sent).toHaveLength(1)
    expect(sent[0].query).toBeUndefined()
    expect(sent[0].extensions?.persistedQuery).toEqual({ version: 1, sha256Hash: meId })
    expect(Object.keys(manifest)).toContain(`sha256:${meId}`)
  })

  it.each(['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED'])(
    'sends the text when the gateway answers %s, and texts from then on',
    async (code) => {
      const { sent, fetchFn } = gateway((body) => (body.query ? { data: { me } } : refusal(code)))
      const urql = client(fetchFn)
      const result = await urql.query(MeDoc, {}).toPromise()
      expect(result.data?.me?.name).toBe('Grace')
      expect(sent).toHaveLength(2)
      expect(sent[1].query).toContain('me')
      expect(sent[1].extensions?.persistedQuery).toBeUndefined()
      await urql.query(MeDoc, {}, { requestPolicy: 'network-only' }).toPromise()
      expect(sent).toHaveLength(3)
      expect(sent[2].query).toContain('me')
    },
  )

  it('does not send the text to a safelist that refused the id', async () => {
    const { sent, fetchFn } = gateway(() => refusal('PERSISTED_QUERY_NOT_IN_LIST'))
    const result = await client(fetchFn).query(MeDoc, {}).toPromise()
    expect(result.error?.graphQLErrors[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST')
    expect(sent).toHaveLength(1)
  })
})
