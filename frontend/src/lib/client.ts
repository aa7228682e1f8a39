/**
 * The GraphQL client: urql with its auth exchange, which adds the access token, refreshes it
 * before it expires (or when the server answers UNAUTHENTICATED) and retries the operation once,
 * and persisted documents: operations go by their id (./persisted.ts).
 * Subscriptions go over a WebSocket (graphql-transport-ws, the `graphql-ws` client) when one is
 * given: the token travels in `connection_init`, read afresh each time the socket (re)connects.
 */
import { authExchange } from '@urql/exchange-auth'
import { cacheExchange, type Client, createClient, type Exchange, fetchExchange, subscriptionExchange } from '@urql/vue'
import type { DocumentNode } from 'graphql'
import { createClient as createWsClient } from 'graphql-ws'
import { RefreshDoc } from '../api/session'
import { isUnauthenticated } from './errors'
import { persistedDocuments } from './persisted'
import type { AuthPayload, RefreshOutcome, Session } from './session'

/** The WebSocket URL of the page's own `/graphql` (ws: or wss: as the page is served). */
export function websocketUrl(location: { protocol: string; host: string }, path = '/graphql'): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`
}

/** Subscriptions over graphql-transport-ws, opened on the first one and closed after the last. */
export function liveExchange(session: Session, wsUrl: string): Exchange {
  const live = createWsClient({
    url: wsUrl,
    lazy: true,
    retryAttempts: Infinity,
    connectionParams: () => {
      const token = session.tokens?.accessToken
      return token ? { Authorization: `Bearer ${token}` } : {}
    },
  })
  return subscriptionExchange({
    forwardSubscription(request) {
      const input = { ...request, query: request.query || '' }
      return {
        subscribe(sink) {
          const unsubscribe = live.subscribe(input, sink)
          return { unsubscribe }
        },
      }
    },
  })
}

export function makeClient(session: Session, url = '/graphql', fetchFn?: typeof fetch, wsUrl?: string): Client {
  const persisted = persistedDocuments()
  return createClient({
    url,
    fetch: persisted.fetch(fetchFn ?? ((input, init) => fetch(input, init))),
    // GraphQL over HTTP answers; never cached by the browser.
    fetchOptions: { headers: { Accept: 'application/graphql-response+json, application/json' } },
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    exchanges: [
      cacheExchange,
      authExchange(async (utils) => ({
        addAuthToOperation(operation) {
          // Spending a refresh token needs no access token (and an expired one would be refused).
          if (operationName(operation.query) === 'Refresh') return operation
          const token = session.tokens?.accessToken
          return token ? utils.appendHeaders(operation, { Authorization: `Bearer ${token}` }) : operation
        },
        willAuthError() {
          return session.needsRefresh()
        },
        didAuthError(error) {
          return session.signedIn && isUnauthenticated(error)
        },
        async refreshAuth() {
          const spend = async (refreshToken: string): Promise<RefreshOutcome> => {
            const result = await utils.mutate(RefreshDoc, { refreshToken })
            if (result.data?.refreshToken) return result.data.refreshToken as AuthPayload
            return result.error?.graphQLErrors.length ? 'rejected' : 'unreachable'
          }
          await session.refresh(spend)
        },
      })),
      persisted.exchange,
      fetchExchange,
      ...(wsUrl ? [liveExchange(session, wsUrl)] : []),
    ],
  })
}

function operationName(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition') return definition.name?.value
  }
  return undefined
}
