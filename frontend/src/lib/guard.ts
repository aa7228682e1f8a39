import type { RouteLocationNormalized, RouteLocationRaw } from 'vue-router'

/** Where to send someone who may not see `to` (null: let them in). */
export function guard(
  to: RouteLocationNormalized,
  signedIn: boolean,
  isAdmin: boolean,
): RouteLocationRaw | null {
  if (to.meta.signedIn && !signedIn) return { path: '/signin', query: { redirect: to.fullPath } }
  if (to.meta.admin && !isAdmin) return { path: '/', query: { notice: 'admins-only' } }
  return null
}
