// The shoppers' app, served by the service at /app/. Hashed assets are cached for good; the shell and the
// service worker are revalidated (the server sets the headers). Workbox precaches the shell so the app opens
// offline.
import { resolve } from "node:path";
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";
import { VitePWA } from "vite-plugin-pwa";

export default defineConfig({
  root: __dirname,
  base: "/app/",
  build: {
    outDir: "../dist/app",
    emptyOutDir: true,
    sourcemap: false,
    // early.ts is an entry of its own: the job board's questions leave while the app's script still loads.
    rollupOptions: { input: { index: resolve(__dirname, "index.html"), early: resolve(__dirname, "src/early.ts") } },
  },
  plugins: [
    preact(),
    {
      name: "early-script",
      apply: "build",
      transformIndexHtml: {
        order: "post",
        handler(html, ctx) {
          const early = Object.values(ctx.bundle ?? {}).find((c) => c.type === "chunk" && c.isEntry && c.name === "early");
          return early
            ? html.replace("</head>", `    <script type="module" async src="/app/${early.fileName}"></script>\n  </head>`)
            : html;
        },
      },
    },
    VitePWA({
      registerType: "autoUpdate",
      injectRegister: false,
      manifest: {
        name: "Fieldwork — таємний покупець",
        short_name: "Fieldwork",
        description: "Завдання, візити та виплати таємного покупця",
        lang: "uk",
        start_url: "/app/",
        scope: "/app/",
        display: "standalone",
        background_color: "#ffffff",
        theme_color: "#1d4ed8",
        icons: [
          { src: "icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
          { src: "icon-maskable.svg", sizes: "any", type: "image/svg+xml", purpose: "maskable" },
          { src: "icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        // A new release takes over at once, and the first visit's page is controlled (so it opens offline).
        clientsClaim: true,
        skipWaiting: true,
        globPatterns: ["**/*.{js,css,html,svg,png,webmanifest}"],
        navigateFallback: "/app/index.html",
        navigateFallbackAllowlist: [/^\/app\//],
      },
    }),
  ],
});
