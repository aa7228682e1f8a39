import { CombinedError } from '@urql/core'
import { GraphQLError } from 'graphql'
import { describe, expect, it } from 'vitest'
import { ALGORITHM, challengeOf, leadingZeroBits, solve } from '../src/lib/challenge'

const challenge = { token: 'eyJ.a-challenge.token', algorithm: ALGORITHM, difficulty: 10, expiresIn: 300 }

describe('the sign-in challenge', () => {
  it('counts the leading zero bits of a digest', () => {
    expect(leadingZeroBits(new Uint8Array([0, 0, 0xff]))).toBe(16)
    expect(leadingZeroBits(new Uint8Array([0, 0x1f]))).toBe(11)
    expect(leadingZeroBits(new Uint8Array([0x80]))).toBe(0)
  })

  it('finds a solution the server accepts (SHA-256 of token:solution)', async () => {
    const solution = await solve(challenge)
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${challenge.token}:${solution}`))
    expect(leadingZeroBits(new Uint8Array(digest))).toBeGreaterThanOrEqual(challenge.difficulty)
    expect(solution.length).toBeLessThanOrEqual(128)
  })

  it('reads the challenge out of a CHALLENGE_REQUIRED error only', () => {
    const asked = new CombinedError({
      graphQLErrors: [new GraphQLError('solve it', { extensions: { code: 'CHALLENGE_REQUIRED', challenge } })],
    })
    const wrong = new CombinedError({
      graphQLErrors: [new GraphQLError('no', { extensions: { code: 'UNAUTHENTICATED' } })],
    })
    expect(challengeOf(asked)).toEqual(challenge)
    expect(challengeOf(wrong)).toBeNull()
    expect(challengeOf(null)).toBeNull()
  })
})
