const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' })

/** An amount; null (an order the catalogue has not priced yet) reads as a dash. */
export const formatMoney = (amount: number | null, currency = 'USD'): string =>
  amount === null
    ? '—'
    : currency === 'USD'
      ? money.format(amount)
      : new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount)

/** Shown for a value the caller may not see (a user's personal fields are nullable). */
export const NONE = '—'

export const formatDate = (iso: string | null | undefined): string => {
  if (iso == null) return NONE
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : when.format(date)
}

/** "ORDER_STATUS" -> "Order status". */
export const words = (value: string | null | undefined): string =>
  value == null ? NONE : value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ')
