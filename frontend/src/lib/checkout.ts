import type { CreateOrderInput } from '../gql/graphql'
import type { CartLine } from './cart'

export interface DeliveryDetails {
  shippingAddress: string
  notes: string
}

/**
 * The createOrder input for the cart's lines.
 *
 * `unitPrice` is the catalogue price the shopper saw; the API (not this client) decides the
 * order's prices and totals, and the SPA shows the totals it answers.
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

/** The input with the checkout's idempotency key, where the API's input type has the field. */
function withIdempotencyKey(input: CreateOrderInput, key: string): CreateOrderInput {
  // The API's CreateOrderInput gains `idempotencyKey` with issue 12; until it is in
  // frontend/schema.graphql this returns the input as it is, then it becomes
  // `return { ...input, idempotencyKey: key }`.
  void key
  return input
}
