import { CombinedError } from '@urql/core'
import { GraphQLError } from 'graphql'
import { describe, expect, it } from 'vitest'
import { describe as describeError, fieldLabel, isUnauthenticated, problemsOf } from '../src/lib/errors'

const graphQLError = (message: string, extensions: Record<string, unknown>) =>
  new GraphQLError(message, { extensions })

describe('errors in words', () => {
  it('says a session ended and a wrong password apart', () => {
    expect(describeError({ message: 'Not signed in', extensions: { code: 'UNAUTHENTICATED' } }).message)
      .toBe('Your session has ended. Sign in again to continue.')
    expect(describeError({ message: 'Wrong login or password.', extensions: { code: 'UNAUTHENTICATED' } }).message)
      .toBe('Wrong login or password. Check both and try again.')
  })

  it('lists the fields of a refused input', () => {
    const problem = describeError({
      message: 'Invalid input',
      extensions: {
        code: 'VALIDATION_FAILED',
        field: 'password',
        problems: [{ field: 'input.password', message: 'too short' }, { field: 'shippingAddress', message: 'too long' }],
      },
    })
    expect(problem.field).toBe('password')
    expect(problem.message).toBe('Please correct: Password: too short; Shipping address: too long.')
  })

  it('names the service that is down and says the part stays empty', () => {
    const problem = describeError({
      message: 'Subgraph payments failed',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'payments' },
    })
    expect(problem.message).toBe(
      'The payments service is not answering right now, so this part of the page is empty. Try again in a minute.',
    )
    expect(problem.service).toBe('payments')
  })

  it('says how long to wait after too many attempts', () => {
    expect(describeError({ message: 'x', extensions: { code: 'TOO_MANY_ATTEMPTS', retryAfter: 41.2 } }).message)
      .toBe('Too many attempts. Wait and try again in 42 seconds.')
  })

  it('explains a refused limit', () => {
    const message = describeError({ message: 'Cost 2000 exceeds 1000.', extensions: { code: 'COST_ESTIMATED_TOO_EXPENSIVE' } }).message
    expect(message).toContain('refused this request as too large')
    expect(message).toContain('Ask for fewer items per page.')
  })

  it('turns a network failure and HTTP statuses into words', () => {
    const offline = new CombinedError({ networkError: new Error('Failed to fetch') })
    expect(problemsOf(offline)[0].message).toBe('Cannot reach the server. Check your connection and try again.')
    const limited = new CombinedError({ networkError: new Error('429'), response: { status: 429 } })
    expect(problemsOf(limited)[0].code).toBe('RATE_LIMITED')
  })

  it('recognises UNAUTHENTICATED among GraphQL errors', () => {
    const error = new CombinedError({ graphQLErrors: [graphQLError('no', { code: 'UNAUTHENTICATED' })] })
    expect(isUnauthenticated(error)).toBe(true)
    expect(isUnauthenticated(null)).toBe(false)
  })

  it('labels fields for people', () => {
    expect(fieldLabel('input.items[0].unitPrice')).toBe('Unit price')
    expect(fieldLabel(undefined)).toBe('Input')
  })
})
