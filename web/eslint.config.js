import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "app/src/gql/**", "node_modules/**"] },
  ...tseslint.configs.recommended,
);
