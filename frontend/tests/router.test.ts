import { describe, expect, it } from 'vitest'
import type { RouteLocationNormalized } from 'vue-router'

// The guard alone (the router module also builds the app's stores).
import { guard } from '../src/lib/guard'

const route = (fullPath: string, meta: Record<string, unknown>) =>
  ({ fullPath, meta }) as unknown as RouteLocationNormalized

describe('route guard', () => {
  it('sends signed-out visitors of a private page to sign in, with the way back', () => {
    expect(guard(route('/orders?page=2', { signedIn: true }), false, false)).toEqual({
      path: '/signin',
      query: { redirect: '/orders?page=2' },
    })
  })

  it('keeps users out of admin pages and lets admins in', () => {
    const audit = route('/admin/audit', { signedIn: true, admin: true })
    expect(guard(audit, true, false)).toEqual({ path: '/', query: { notice: 'admins-only' } })
    expect(guard(audit, true, true)).toBeNull()
    expect(guard(route('/', {}), false, false)).toBeNull()
  })
})
