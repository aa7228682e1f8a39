/**
 * The cart: lines kept in localStorage until an order is placed.
 *
 * Prices here are the catalogue's as shown when the product was added: an estimate for the
 * shopper. The order's totals are what the API answers.
 *
 * Every change of the lines gives the checkout a new idempotency key; a retry of the same
 * checkout (a double click, a request whose answer was lost) reuses the key, so it makes one
 * order.
 */
import { computed, reactive } from 'vue'
import { type KeyValueStore, readJson } from './storage'

export const CART_KEY = 'shop.cart'
export const MAX_QUANTITY = 99

export interface CartLine {
  productId: string
  sku: string
  name: string
  /** Unit price shown in the catalogue when added (an estimate). */
  price: number
  quantity: number
}

interface CartState {
  lines: CartLine[]
  checkoutKey: string | null
}

export class Cart {
  readonly state: CartState
  readonly count
  readonly estimatedTotal

  constructor(
    private readonly store: KeyValueStore,
    private readonly newKey: () => string,
  ) {
    const saved = readJson<CartState>(store, CART_KEY)
    this.state = reactive<CartState>({
      lines: Array.isArray(saved?.lines) ? saved.lines : [],
      checkoutKey: saved?.checkoutKey ?? null,
    })
    this.count = computed(() => this.state.lines.reduce((sum, line) => sum + line.quantity, 0))
    this.estimatedTotal = computed(() =>
      roundCents(this.state.lines.reduce((sum, line) => sum + line.price * line.quantity, 0)),
    )
  }

  get lines(): readonly CartLine[] {
    return this.state.lines
  }

  add(product: Omit<CartLine, 'quantity'>, quantity = 1): void {
    const line = this.state.lines.find((l) => l.sku === product.sku)
    if (line) line.quantity = clampQuantity(line.quantity + quantity)
    else this.state.lines.push({ ...product, quantity: clampQuantity(quantity) })
    this.changed()
  }

  setQuantity(sku: string, quantity: number): void {
    if (!Number.isFinite(quantity) || quantity < 1) return this.remove(sku)
    const line = this.state.lines.find((l) => l.sku === sku)
    if (!line) return
    line.quantity = clampQuantity(quantity)
    this.changed()
  }

  remove(sku: string): void {
    this.state.lines = this.state.lines.filter((l) => l.sku !== sku)
    this.changed()
  }

  clear(): void {
    this.state.lines = []
    this.changed()
  }

  /** The key of this checkout: the same until the lines change or the order is placed. */
  checkoutKey(): string {
    if (this.state.checkoutKey === null) {
      this.state.checkoutKey = this.newKey()
      this.save()
    }
    return this.state.checkoutKey
  }

  private changed(): void {
    this.state.checkoutKey = null
    this.save()
  }

  private save(): void {
    this.store.setItem(CART_KEY, JSON.stringify(this.state))
  }
}

export function clampQuantity(quantity: number): number {
  return Math.min(MAX_QUANTITY, Math.max(1, Math.floor(quantity)))
}

function roundCents(amount: number): number {
  return Math.round(amount * 100) / 100
}
