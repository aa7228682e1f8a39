import { describe, expect, it } from 'vitest'
import { parseQuantity, registrationProblems } from '../src/lib/forms'
import { nextStatuses } from '../src/lib/orders'

describe('registration checks', () => {
  const good = { email: 'ada@example.com', username: 'ada.l', password: 'a-long-secret' }

  it('accepts a good registration', () => {
    expect(registrationProblems(good)).toEqual([])
  })

  it('names each field that is wrong', () => {
    const problems = registrationProblems({ email: 'ada', username: 'a', password: 'short' })
    expect(problems.map((p) => p.field)).toEqual(['email', 'username', 'password'])
  })

  it('refuses a password equal to the username or email, in any case', () => {
    expect(registrationProblems({ ...good, password: 'ADA@EXAMPLE.COM' })[0].message).toContain('not your email')
  })
})

describe('quantities typed into the cart', () => {
  it('accepts whole numbers from 1 to 99 only', () => {
    expect(parseQuantity(' 3 ')).toBe(3)
    expect(parseQuantity('0')).toBeNull()
    expect(parseQuantity('100')).toBeNull()
    expect(parseQuantity('2.5')).toBeNull()
    expect(parseQuantity('')).toBeNull()
  })
})

describe('order life cycle', () => {
  it('offers only the moves the API allows', () => {
    expect(nextStatuses('PENDING')).toEqual(['CONFIRMED', 'CANCELLED'])
    expect(nextStatuses('CONFIRMED')).toEqual(['SHIPPED', 'CANCELLED'])
    expect(nextStatuses('SHIPPED')).toEqual(['DELIVERED'])
    expect(nextStatuses('DELIVERED')).toEqual([])
    expect(nextStatuses('CANCELLED')).toEqual([])
  })
})
