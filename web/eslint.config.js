import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "app/src/gql/**", "console/src/gql/**", "node_modules/**"] },
  ...tseslint.configs.recommended,
);
