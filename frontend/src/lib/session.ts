/**
 * The signed-in session: tokens kept in localStorage (so a reload or a second tab stays signed
 * in), refreshed before the access token expires, ended on sign-out or when the server refuses
 * the refresh token.
 *
 * Refresh tokens rotate and a reused one revokes the whole session (docs/identity.md), so two
 * tabs must never spend the same one: a refresh runs under a Web Lock shared by every tab and
 * first re-reads the storage, adopting tokens another tab already obtained.
 */
import { reactive } from 'vue'
import type { Clock } from './clock'
import { type KeyValueStore, readJson } from './storage'

export const SESSION_KEY = 'shop.session'
/** Refresh this long before the access token expires (clock skew, slow requests). */
export const REFRESH_MARGIN_MS = 30_000

export type Role = 'USER' | 'ADMIN'

export interface SessionUser {
  id: string
  name: string
  username: string
  role: Role
}

/** What login, register and refreshToken answer (the fields the SPA asks for). */
export interface AuthPayload {
  accessToken: string
  refreshToken: string
  expiresIn: number
  user: SessionUser
}

export interface Tokens {
  accessToken: string
  refreshToken: string
  /** When the access token expires, in ms since the epoch. */
  expiresAt: number
  user: SessionUser
}

/**
 * What spending a refresh token gave: new tokens, `rejected` (the server refused it: the
 * session is over), or `unreachable` (no answer: keep the tokens, try again later).
 */
export type RefreshOutcome = AuthPayload | 'rejected' | 'unreachable'

/** The part of the Web Locks API used here. */
export interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>
}

export class Session {
  readonly state: { tokens: Tokens | null; ended: boolean }
  private inflight: Promise<boolean> | null = null

  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
    private readonly locks: Locks | null = null,
  ) {
    this.state = reactive({ tokens: readJson<Tokens>(store, SESSION_KEY), ended: false })
  }

  get tokens(): Tokens | null {
    return this.state.tokens
  }

  get user(): SessionUser | null {
    return this.state.tokens?.user ?? null
  }

  get signedIn(): boolean {
    return this.state.tokens !== null
  }

  get isAdmin(): boolean {
    return this.user?.role === 'ADMIN'
  }

  /** Keep the tokens of a login, a registration or a refresh. */
  signIn(payload: AuthPayload): void {
    const tokens: Tokens = {
      accessToken: payload.accessToken,
      refreshToken: payload.refreshToken,
      expiresAt: this.clock() + payload.expiresIn * 1000,
      user: { ...payload.user },
    }
    this.store.setItem(SESSION_KEY, JSON.stringify(tokens))
    this.state.tokens = tokens
    this.state.ended = false
  }

  /** Forget the tokens (sign-out). Returns the refresh token to revoke, if any. */
  signOut(): string | null {
    const refresh = this.state.tokens?.refreshToken ?? null
    this.store.removeItem(SESSION_KEY)
    this.state.tokens = null
    return refresh
  }

  /** The server ended the session: forget it and say so (the app sends the user to sign in). */
  expire(): void {
    const had = this.signedIn
    this.signOut()
    if (had) this.state.ended = true
  }

  /** True when the access token expires within the margin (or has). */
  needsRefresh(): boolean {
    const tokens = this.state.tokens
    return tokens !== null && tokens.expiresAt - REFRESH_MARGIN_MS <= this.clock()
  }

  /** Another tab changed the stored session: follow it. */
  syncFromStore(): void {
    this.state.tokens = readJson<Tokens>(this.store, SESSION_KEY)
  }

  /**
   * Get a fresh access token with `spend` (the refreshToken mutation). Concurrent calls share
   * one attempt; across tabs a lock makes them take turns. True when a usable token is held.
   */
  refresh(spend: (refreshToken: string) => Promise<RefreshOutcome>): Promise<boolean> {
    if (this.inflight === null) {
      const run = () => this.refreshOnce(spend)
      const attempt = this.locks ? this.locks.request('shop.session.refresh', run) : run()
      this.inflight = attempt.finally(() => {
        this.inflight = null
      })
    }
    return this.inflight
  }

  private async refreshOnce(
    spend: (refreshToken: string) => Promise<RefreshOutcome>,
  ): Promise<boolean> {
    const held = this.state.tokens
    const stored = readJson<Tokens>(this.store, SESSION_KEY)
    if (stored === null) {
      // Signed out meanwhile (here or in another tab).
      this.state.tokens = null
      return false
    }
    if (held === null || stored.refreshToken !== held.refreshToken) {
      // Another tab rotated the tokens: use theirs; never spend a refresh token twice.
      this.state.tokens = stored
      if (!this.needsRefresh()) return true
    }
    const outcome = await spend(stored.refreshToken)
    if (outcome === 'rejected') {
      this.expire()
      return false
    }
    if (outcome === 'unreachable') return false
    this.signIn(outcome)
    return true
  }
}
