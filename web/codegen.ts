// TypeScript types for the shopper app's operations, generated from the service's schema and the same
// `.graphql` documents the Rust client uses (mobile-api/operations): one source of truth. `npm run codegen:check`
// fails when the committed types drift from the schema or the documents.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["../mobile-api/operations/*.graphql"],
  generates: {
    "app/src/gql/operations.ts": {
      plugins: ["typescript-operations"],
      config: {
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true },
        scalars: { DateTime: "string", JSON: "unknown", Upload: "File" },
        skipTypename: true,
      },
    },
  },
};

export default config;
