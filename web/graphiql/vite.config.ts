// GraphiQL for GET /graphql, built from npm (graphiql, its explorer plugin, React) into web/dist/graphiql and
// served by the service: the page's HTML at /graphql, its hashed assets under /graphiql/assets/ (cached for good).
import { defineConfig } from "vite";

export default defineConfig({
  root: __dirname,
  base: "/graphiql/",
  build: {
    outDir: "../dist/graphiql",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      // GraphiQL's UI library marks its modules "use client" (for React server components); meaningless here.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
});
