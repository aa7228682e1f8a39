import type { CreateOrderInput } from '../gql/graphql'
import type { CartLine } from './cart'

export interface DeliveryDetails {
  shippingAddress: string
  notes: string
}

/**
 * The createOrder input for the cart's lines.
 *
 * `unitPrice` is the catalogue price the shopper saw; the API ignores it and prices the order
 * from the catalogue when it confirms it, and the SPA shows the totals it answers.
 *
 * `idempotencyKey` is the cart's checkout key (the same for a retry or a double click), so the
 * orders database makes one order of it.
 */
export function orderInput(
  lines: readonly CartLine[],
  details: DeliveryDetails,
  idempotencyKey: string,
): CreateOrderInput {
  const input: CreateOrderInput = {
    items: lines.map((line) => ({
      productId: line.sku,
      quantity: line.quantity,
      unitPrice: line.price,
    })),
    shippingAddress: details.shippingAddress.trim() || null,
    notes: details.notes.trim() || null,
  }
  return withIdempotencyKey(input, idempotencyKey)
}

/** The input with the checkout's idempotency key. */
function withIdempotencyKey(input: CreateOrderInput, key: string): CreateOrderInput {
  return { ...input, idempotencyKey: key }
}
