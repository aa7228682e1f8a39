// graphql-codegen: TypeScript types for every operation in src/api/ and the manifest of them
// (src/gql/persisted-documents.json), from the API schema of the checked-in supergraph
// (frontend/schema.graphql, written by `python -m schema api`).
// `make frontend-types` runs both steps; tests/frontend checks both are fresh.
import type { CodegenConfig } from '@graphql-codegen/cli'
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset'

const out = process.env.CODEGEN_OUT ?? 'src/gql/'

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/api/**/*.ts'],
  ignoreNoDocuments: false,
  generates: {
    [out]: {
      preset: 'client',
      // persisted-documents.json: every operation by the SHA-256 of its text, the manifest of
      // trusted operations the gateway's safelist reads (docs/persisted-queries.md).
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      // `__typename` in every selection, as urql's document cache adds it: the document the
      // gateway runs by id is then the one urql would have sent (its cache needs the typenames).
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
}

export default config
