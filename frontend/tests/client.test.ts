// The GraphQL client against a fetch that answers like the gateway (no network): the token is
// sent, an UNAUTHENTICATED answer refreshes it and retries once, a refused refresh signs out.
import { describe, expect, it } from 'vitest'
import { MeDoc } from '../src/api/session'
import { makeClient, websocketUrl } from '../src/lib/client'
import { Session } from '../src/lib/session'
import { memoryStore } from '../src/lib/storage'

interface Sent {
  operationName: string
  authorization: string | null
}

type Answer = (sent: Sent, body: { variables?: Record<string, unknown> }) => unknown

function gateway(answer: Answer) {
  const sent: Sent[] = []
  const fetchFn = (async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body))
    const headers = new Headers(init?.headers)
    const request = { operationName: body.operationName, authorization: headers.get('authorization') }
    sent.push(request)
    return new Response(JSON.stringify(answer(request, body)), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    })
  }) as typeof fetch
  return { sent, fetchFn }
}

const user = { id: '7', name: 'Grace', username: 'grace', role: 'USER' as const }
const me = { id: '7', name: 'Grace', username: 'grace', email: 'g@example.com', age: null, role: 'USER', active: true, createdAt: '2024-01-01T00:00:00' }
const unauthenticated = { data: null, errors: [{ message: 'expired', extensions: { code: 'UNAUTHENTICATED' } }] }
const session = (clockNow = 0) => {
  const s = new Session(memoryStore(), () => clockNow)
  s.signIn({ accessToken: 'old', refreshToken: 'r1', expiresIn: 3600, user })
  return s
}

describe('the GraphQL client', () => {
  it('sends the access token', async () => {
    const { sent, fetchFn } = gateway(() => ({ data: { me } }))
    const result = await makeClient(session(), 'http://gw/graphql', fetchFn).query(MeDoc, {}).toPromise()
    expect(result.data?.me?.email).toBe('g@example.com')
    expect(sent).toEqual([{ operationName: 'Me', authorization: 'Bearer old' }])
  })

  it('refreshes after UNAUTHENTICATED and retries the operation once', async () => {
    const { sent, fetchFn } = gateway((request) => {
      if (request.operationName === 'Refresh') {
        return { data: { refreshToken: { accessToken: 'new', refreshToken: 'r2', expiresIn: 3600, user } } }
      }
      return request.authorization === 'Bearer new' ? { data: { me } } : unauthenticated
    })
    const signedIn = session()
    const result = await makeClient(signedIn, 'http://gw/graphql', fetchFn).query(MeDoc, {}).toPromise()
    expect(result.data?.me?.name).toBe('Grace')
    expect(sent.map((s) => `${s.operationName} ${s.authorization}`)).toEqual([
      'Me Bearer old',
      'Refresh null',
      'Me Bearer new',
    ])
    expect(signedIn.tokens?.refreshToken).toBe('r2')
  })

  it('refreshes before sending when the token is about to expire', async () => {
    const { sent, fetchFn } = gateway((request) =>
      request.operationName === 'Refresh'
        ? { data: { refreshToken: { accessToken: 'new', refreshToken: 'r2', expiresIn: 3600, user } } }
        : { data: { me } },
    )
    const expiring = session()
    expiring.state.tokens!.expiresAt = 10_000 // the clock says 0: within the margin
    await makeClient(expiring, 'http://gw/graphql', fetchFn).query(MeDoc, {}).toPromise()
    expect(sent.map((s) => s.operationName)).toEqual(['Refresh', 'Me'])
    expect(sent[1].authorization).toBe('Bearer new')
  })

  it('signs out when the refresh token is refused', async () => {
    const { fetchFn } = gateway(() => unauthenticated)
    const signedIn = session()
    const result = await makeClient(signedIn, 'http://gw/graphql', fetchFn).query(MeDoc, {}).toPromise()
    expect(result.error?.graphQLErrors[0].extensions.code).toBe('UNAUTHENTICATED')
    expect(signedIn.signedIn).toBe(false)
    expect(signedIn.state.ended).toBe(true)
  })
})

describe('websocketUrl', () => {
  it('follows the page: ws for http, wss for https, same host and port', () => {
    expect(websocketUrl({ protocol: 'http:', host: 'localhost:4000' })).toBe('ws://localhost:4000/graphql')
    expect(websocketUrl({ protocol: 'https:', host: 'shop.example' })).toBe('wss://shop.example/graphql')
  })
})
