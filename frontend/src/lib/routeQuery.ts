/** Page state kept in the URL's query (so a reload or a shared link shows the same page). */
import { computed, type WritableComputedRef } from 'vue'
import { useRoute, useRouter } from 'vue-router'

export function useQueryParam(name: string, fallback = ''): WritableComputedRef<string> {
  const route = useRoute()
  const router = useRouter()
  return computed({
    get: () => {
      const value = route.query[name]
      return typeof value === 'string' ? value : fallback
    },
    set: (value: string) => {
      const query = { ...route.query, [name]: value || undefined }
      if (name !== 'page') delete query.page // a new filter starts at page 1
      void router.replace({ query })
    },
  })
}

/** The `page` query parameter as a number, at least 1. */
export function usePage() {
  const raw = useQueryParam('page', '1')
  return computed(() => {
    const page = Number.parseInt(raw.value, 10)
    return Number.isFinite(page) && page >= 1 ? page : 1
  })
}
