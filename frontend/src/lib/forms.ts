/** Checks made before a form is sent (the API checks again; these only save a round trip). */
import type { Problem } from './errors'

const USERNAME = /^[A-Za-z0-9._-]{3,32}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export interface Registration {
  email: string
  username: string
  password: string
}

export function registrationProblems(form: Registration): Problem[] {
  const problems: Problem[] = []
  const say = (field: string, message: string) =>
    problems.push({ code: 'VALIDATION_FAILED', field, message })
  if (!EMAIL.test(form.email.trim())) say('email', 'Enter an email address such as ada@example.com.')
  if (!USERNAME.test(form.username.trim())) {
    say('username', 'A username has 3 to 32 letters, digits, “.”, “_” or “-”.')
  }
  if (form.password.length < 8 || form.password.length > 128) {
    say('password', 'A password has 8 to 128 characters.')
  } else {
    const lower = form.password.toLowerCase()
    if (lower === form.email.trim().toLowerCase() || lower === form.username.trim().toLowerCase()) {
      say('password', 'Choose a password that is not your email or username.')
    }
  }
  return problems
}

/** A quantity typed into the cart: a whole number from 1 to `max`, or null. */
export function parseQuantity(raw: string, max = 99): number | null {
  if (!/^\s*\d+\s*$/.test(raw)) return null
  const value = Number.parseInt(raw, 10)
  return value >= 1 && value <= max ? value : null
}
