// The staff console, served by the service at /console/ (same build wiring as the shoppers' app; no service
// worker: the console is used online, at a desk).
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

export default defineConfig({
  root: __dirname,
  base: "/console/",
  build: { outDir: "../dist/console", emptyOutDir: true, sourcemap: false },
  plugins: [preact()],
});
