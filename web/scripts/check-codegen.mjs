// Fails when the committed TypeScript types (app/src/gql, console/src/gql) are not what the schema and the
// operations give now.
import { readFileSync } from "node:fs";
import { execSync } from "node:child_process";

const paths = ["app/src/gql/operations.ts", "console/src/gql/operations.ts"];
const before = paths.map((p) => readFileSync(p, "utf8"));
execSync("npx graphql-codegen --config codegen.ts", { stdio: "inherit" });
const stale = paths.filter((p, i) => readFileSync(p, "utf8") !== before[i]);
if (stale.length > 0) {
  console.error(`${stale.join(", ")} out of date with ../schema.graphql or the operations: run \`npm run codegen\` and commit`);
  process.exit(1);
}
