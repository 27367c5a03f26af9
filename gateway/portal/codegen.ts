// Types of every operation in src/ from the gateway's SDL: a schema change that breaks an
// operation fails `npm run codegen` (a removed field, a wrong argument) or `vue-tsc` (a
// changed type), so it fails the build.
import type { CodegenConfig } from '@graphql-codegen/cli'

const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.ts', 'src/**/*.vue', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          Date: 'string',
          Decimal: 'string',
          JSON: 'unknown',
          Upload: 'File',
          Time: 'string',
        },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
}
export default config
