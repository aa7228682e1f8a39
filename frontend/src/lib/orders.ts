import type { OrderStatus } from '../gql/graphql'

export type { OrderStatus }

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'PENDING',
  'CONFIRMED',
  'SHIPPED',
  'DELIVERED',
  'CANCELLED',
]

/** Where an order may go from `status` (PENDING -> CONFIRMED -> SHIPPED -> DELIVERED, or CANCELLED). */
export function nextStatuses(status: OrderStatus): OrderStatus[] {
  switch (status) {
    case 'PENDING':
      return ['CONFIRMED', 'CANCELLED']
    case 'CONFIRMED':
      return ['SHIPPED', 'CANCELLED']
    case 'SHIPPED':
      return ['DELIVERED']
    default:
      return []
  }
}

export const cancellable = (status: OrderStatus): boolean => nextStatuses(status).includes('CANCELLED')
