/** The part of `Storage` the stores use (localStorage in the browser, a Map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** A KeyValueStore in memory (tests, or a browser that refuses localStorage). */
export function memoryStore(): KeyValueStore {
  const values = new Map<string, string>()
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  }
}

/** localStorage when the browser allows it (private modes may throw), else memory. */
export function browserStore(): KeyValueStore {
  try {
    const probe = '__probe__'
    window.localStorage.setItem(probe, probe)
    window.localStorage.removeItem(probe)
    return window.localStorage
  } catch {
    return memoryStore()
  }
}

/** A JSON value kept under `key`; null when absent or unreadable. */
export function readJson<T>(store: KeyValueStore, key: string): T | null {
  const raw = store.getItem(key)
  if (raw === null) return null
  try {
    return JSON.parse(raw) as T
  } catch {
    store.removeItem(key)
    return null
  }
}
