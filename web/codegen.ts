import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The dashboard's operation types, from the composed API schema that `pnpm compose` writes beside the
 * supergraph (a test fails when it is stale): a schema change that breaks a screen fails `tsc` here.
 * Generated into src/gql/ (not committed; `pnpm --filter @influenceflow/web typecheck` and the build run it).
 */
const config: CodegenConfig = {
  schema: '../gateway/api-schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: true,
        scalars: { DateTimeISO: 'string', SafeInt: 'number', JSON: 'unknown', JSONObject: 'Record<string, unknown>' },
      },
    },
  },
};
export default config;
