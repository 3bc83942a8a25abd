// The public map portal's script, built into web/dist/portal and served by the service under /portal/assets/.
// The pages themselves are server-rendered (they work without JavaScript); they name the entry `portal.js`,
// which therefore has a fixed name (revalidated on every load); the map chunk and its styles are hashed and load
// only when the map is shown.
import { defineConfig } from "vite";

export default defineConfig({
  root: __dirname,
  base: "/portal/",
  build: {
    outDir: "../dist/portal",
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      input: `${__dirname}/src/main.ts`,
      output: {
        entryFileNames: "assets/portal.js",
        chunkFileNames: "assets/[name]-[hash].js",
        assetFileNames: "assets/[name]-[hash][extname]",
      },
    },
  },
});
