/**
 * The GraphQL client: urql with its auth exchange, which adds the access token, refreshes it
 * before it expires (or when the server answers UNAUTHENTICATED) and retries the operation once,
 * and persisted documents: operations go by their id (./persisted.ts).
 */
import { authExchange } from '@urql/exchange-auth'
import { cacheExchange, type Client, createClient, fetchExchange } from '@urql/vue'
import type { DocumentNode } from 'graphql'
import { RefreshDoc } from '../api/session'
import { isUnauthenticated } from './errors'
import { persistedDocuments } from './persisted'
import type { AuthPayload, RefreshOutcome, Session } from './session'

export function makeClient(session: Session, url = '/graphql', fetchFn?: typeof fetch): Client {
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
    ],
  })
}

function operationName(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition') return definition.name?.value
  }
  return undefined
}
