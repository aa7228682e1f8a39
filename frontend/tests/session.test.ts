import { describe, expect, it } from 'vitest'
import { type AuthPayload, type Locks, REFRESH_MARGIN_MS, Session, SESSION_KEY } from '../src/lib/session'
import { memoryStore } from '../src/lib/storage'

const user = { id: '7', name: 'Grace', username: 'grace', role: 'USER' as const }
const payload = (n: number, expiresIn = 3600): AuthPayload => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresIn,
  user,
})

function setup(now = 1_000_000) {
  const clock = { now }
  const store = memoryStore()
  const session = new Session(store, () => clock.now)
  return { clock, store, session }
}

describe('Session', () => {
  it('keeps the tokens of a sign-in across a reload', () => {
    const { store, session, clock } = setup()
    session.signIn(payload(1))
    const reloaded = new Session(store, () => clock.now)
    expect(reloaded.tokens?.accessToken).toBe('access-1')
    expect(reloaded.tokens?.expiresAt).toBe(clock.now + 3600_000)
    expect(reloaded.user?.name).toBe('Grace')
    expect(reloaded.isAdmin).toBe(false)
  })

  it('wants a refresh within the margin before expiry, not before', () => {
    const { session, clock } = setup()
    session.signIn(payload(1, 120))
    expect(session.needsRefresh()).toBe(false)
    clock.now += 120_000 - REFRESH_MARGIN_MS
    expect(session.needsRefresh()).toBe(true)
  })

  it('spends the refresh token once for concurrent refreshes and keeps the new tokens', async () => {
    const { session } = setup()
    session.signIn(payload(1))
    const spent: string[] = []
    const spend = async (token: string) => {
      spent.push(token)
      return payload(2)
    }
    const results = await Promise.all([session.refresh(spend), session.refresh(spend)])
    expect(results).toEqual([true, true])
    expect(spent).toEqual(['refresh-1'])
    expect(session.tokens?.refreshToken).toBe('refresh-2')
  })

  it('adopts tokens another tab already refreshed instead of spending a used one', async () => {
    const { session, store, clock } = setup()
    session.signIn(payload(1))
    const otherTab = new Session(store, () => clock.now)
    otherTab.signIn(payload(2))
    const spent: string[] = []
    const ok = await session.refresh(async (token) => {
      spent.push(token)
      return payload(3)
    })
    expect(ok).toBe(true)
    expect(spent).toEqual([])
    expect(session.tokens?.accessToken).toBe('access-2')
  })

  it('ends the session when the server refuses the refresh token', async () => {
    const { session, store } = setup()
    session.signIn(payload(1))
    expect(await session.refresh(async () => 'rejected')).toBe(false)
    expect(session.signedIn).toBe(false)
    expect(session.state.ended).toBe(true)
    expect(store.getItem(SESSION_KEY)).toBeNull()
  })

  it('keeps the tokens when the server cannot be reached', async () => {
    const { session } = setup()
    session.signIn(payload(1))
    expect(await session.refresh(async () => 'unreachable')).toBe(false)
    expect(session.tokens?.refreshToken).toBe('refresh-1')
    expect(session.state.ended).toBe(false)
  })

  it('refreshes under the cross-tab lock', async () => {
    const { store, clock } = setup()
    const held: string[] = []
    const locks: Locks = {
      async request(name, callback) {
        held.push(name)
        return callback()
      },
    }
    const session = new Session(store, () => clock.now, locks)
    session.signIn(payload(1))
    await session.refresh(async () => payload(2))
    expect(held).toEqual(['shop.session.refresh'])
  })

  it('sign-out forgets the tokens and hands back the refresh token to revoke', () => {
    const { session } = setup()
    session.signIn(payload(1))
    expect(session.signOut()).toBe('refresh-1')
    expect(session.signedIn).toBe(false)
    expect(session.state.ended).toBe(false)
  })

  it('treats unreadable stored data as signed out', () => {
    const store = memoryStore()
    store.setItem(SESSION_KEY, '{not json')
    expect(new Session(store, () => 0).signedIn).toBe(false)
    expect(store.getItem(SESSION_KEY)).toBeNull()
  })
})
