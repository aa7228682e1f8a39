/**
 * The sign-in challenge (docs/identity.md, "Too many failed logins"): after many failed logins
 * from one network the server asks each login from it for a proof of work instead of locking
 * everyone there out. Solving it costs this browser a moment; a script guessing passwords pays
 * it for every guess.
 */
import type { CombinedError } from '@urql/core'

export const ALGORITHM = 'sha256-leading-zero-bits'

export interface LoginChallenge {
  token: string
  algorithm: string
  /** Leading zero bits the SHA-256 of `token:solution` must start with. */
  difficulty: number
  expiresIn: number
}

/** The challenge a CHALLENGE_REQUIRED error carries (of the one kind this SPA can solve). */
export function challengeOf(error: CombinedError | null | undefined): LoginChallenge | null {
  const found = error?.graphQLErrors.find((e) => e.extensions?.code === 'CHALLENGE_REQUIRED')
  const challenge = found?.extensions?.challenge as Partial<LoginChallenge> | undefined
  if (challenge?.algorithm !== ALGORITHM || typeof challenge.token !== 'string') return null
  if (typeof challenge.difficulty !== 'number') return null
  return challenge as LoginChallenge
}

export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0
  for (const byte of digest) {
    if (byte !== 0) return bits + Math.clz32(byte) - 24
    bits += 8
  }
  return bits
}

/** Hashes tried at once: WebCrypto answers each digest asynchronously. */
const BATCH = 512

/** A solution: a counter in hex whose hash with the token has enough leading zero bits. */
export async function solve(challenge: LoginChallenge): Promise<string> {
  const encoder = new TextEncoder()
  for (let start = 0; ; start += BATCH) {
    const tries = Array.from({ length: BATCH }, (_, n) => (start + n).toString(16))
    const digests = await Promise.all(
      tries.map((s) => crypto.subtle.digest('SHA-256', encoder.encode(`${challenge.token}:${s}`))),
    )
    const found = digests.findIndex((d) => leadingZeroBits(new Uint8Array(d)) >= challenge.difficulty)
    if (found >= 0) return tries[found]
  }
}
