/** The app's single stores: the session and the cart, kept in localStorage. */
import { Cart } from './lib/cart'
import { systemClock } from './lib/clock'
import { makeClient, websocketUrl } from './lib/client'
import { type Locks, Session, SESSION_KEY } from './lib/session'
import { browserStore } from './lib/storage'

const store = browserStore()
const locks = (navigator as Navigator & { locks?: Locks }).locks ?? null

export const session = new Session(store, systemClock, locks)
export const cart = new Cart(store, () => crypto.randomUUID())
export const client = makeClient(session, '/graphql', undefined, websocketUrl(window.location))

// Another tab signed in, refreshed or signed out: follow it.
window.addEventListener('storage', (event) => {
  if (event.key === SESSION_KEY) session.syncFromStore()
})
