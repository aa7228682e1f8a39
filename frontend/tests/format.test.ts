import { describe, expect, it } from 'vitest'
import { formatDate, NONE, words } from '../src/lib/format'

describe('format', () => {
  it('reads enum values as words', () => {
    expect(words('ORDER_STATUS')).toBe('Order status')
  })

  it('shows a dash for a value the caller may not see (a null personal field)', () => {
    expect(words(null)).toBe(NONE)
    expect(formatDate(null)).toBe(NONE)
  })

  it('keeps text that is not a time as it is', () => {
    expect(formatDate('not a time')).toBe('not a time')
  })
})
