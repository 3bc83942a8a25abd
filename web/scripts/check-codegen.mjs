// Fails when the committed TypeScript types (app/src/gql) are not what the schema and the operations give now.
import { readFileSync } from "node:fs";
import { execSync } from "node:child_process";

const path = "app/src/gql/operations.ts";
const before = readFileSync(path, "utf8");
execSync("npx graphql-codegen --config codegen.ts", { stdio: "inherit" });
if (readFileSync(path, "utf8") !== before) {
  console.error(`${path} is out of date with ../schema.graphql or ../mobile-api/operations: run \`npm run codegen\` and commit it`);
  process.exit(1);
}
