import { describe, expect, it } from 'vitest'
import { Cart, CART_KEY, MAX_QUANTITY } from '../src/lib/cart'
import { orderInput } from '../src/lib/checkout'
import { memoryStore } from '../src/lib/storage'

const mug = { productId: '1', sku: 'PROD-1', name: 'Mug', price: 4.99 }
const bag = { productId: '2', sku: 'PROD-2', name: 'Bag', price: 12.49 }

function keys() {
  let n = 0
  return () => `key-${++n}`
}

describe('Cart', () => {
  it('adds products, merging lines of the same sku, and counts them', () => {
    const cart = new Cart(memoryStore(), keys())
    cart.add(mug)
    cart.add(bag)
    cart.add(mug, 2)
    expect(cart.lines.map((l) => [l.sku, l.quantity])).toEqual([['PROD-1', 3], ['PROD-2', 1]])
    expect(cart.count.value).toBe(4)
    expect(cart.estimatedTotal.value).toBe(27.46)
  })

  it('keeps quantities between 1 and the most, removing a line set to 0', () => {
    const cart = new Cart(memoryStore(), keys())
    cart.add(mug)
    cart.setQuantity('PROD-1', 500)
    expect(cart.lines[0].quantity).toBe(MAX_QUANTITY)
    cart.setQuantity('PROD-1', 0)
    expect(cart.lines).toHaveLength(0)
  })

  it('survives a reload', () => {
    const store = memoryStore()
    new Cart(store, keys()).add(bag, 2)
    expect(new Cart(store, keys()).lines).toEqual([{ ...bag, quantity: 2 }])
  })

  it('gives one checkout one idempotency key, a new one once the lines change', () => {
    const store = memoryStore()
    const cart = new Cart(store, keys())
    cart.add(mug)
    const first = cart.checkoutKey()
    expect(cart.checkoutKey()).toBe(first) // a retry, a double click
    expect(new Cart(store, keys()).checkoutKey()).toBe(first) // after a reload too
    cart.add(bag)
    expect(cart.checkoutKey()).not.toBe(first)
  })

  it('ignores a stored cart it cannot read', () => {
    const store = memoryStore()
    store.setItem(CART_KEY, '[]]')
    expect(new Cart(store, keys()).lines).toEqual([])
  })
})

describe('orderInput', () => {
  it('orders every line by sku with the catalogue price shown, trimming the details', () => {
    const cart = new Cart(memoryStore(), keys())
    cart.add(mug, 3)
    const input = orderInput(cart.lines, { shippingAddress: '  1 Road  ', notes: ' ' }, 'key-1')
    expect(input.items).toEqual([{ productId: 'PROD-1', quantity: 3, unitPrice: 4.99 }])
    expect(input.shippingAddress).toBe('1 Road')
    expect(input.notes).toBeNull()
  })
})
