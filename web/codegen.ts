// TypeScript types for the shopper app's operations, generated from the service's schema and the same
// `.graphql` documents the Rust client uses (mobile-api/operations): one source of truth; and for the staff
// console's operations (console/operations). `npm run codegen:check`
// fails when the committed types drift from the schema or the documents.
import type { CodegenConfig } from "@graphql-codegen/cli";

// Each operation's result and variables types, and its document as a typed string (`LoginDocument`): `gql(doc,
// variables)` infers the result from the document and checks the variables, so a wrong pair or a misspelt
// variable fails the type check.
const plugins = ["typescript-operations", "typed-document-node"];
const config = {
  documentMode: "string",
  enumsAsTypes: true,
  avoidOptionals: { field: true, inputValue: false, object: true },
  scalars: { DateTime: "string", NaiveDate: "string", JSON: "unknown", Upload: "File" },
  skipTypename: true,
};

const codegen: CodegenConfig = {
  schema: "../schema.graphql",
  generates: {
    "app/src/gql/operations.ts": { documents: ["../mobile-api/operations/*.graphql"], plugins, config },
    // The staff console's own operations (web/console/operations).
    "console/src/gql/operations.ts": { documents: ["console/operations/*.graphql"], plugins, config },
  },
};

export default codegen;
