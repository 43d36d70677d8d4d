import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Where the dev server forwards API calls: the gateway of `npm start` / the stack.
const gateway = process.env.VITE_DEV_PROXY_TARGET ?? "http://localhost:8080";

// Connect calls are `/<package>.<Service>/<Method>`; every service of the contract lives under `identity.`.
const apiPaths = "^/identity\\.[a-z]+\\.v1\\.[A-Za-z]+Service/";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 3000,
    strictPort: true,
    proxy: {
      [apiPaths]: { target: gateway, changeOrigin: true },
      "/api/": { target: gateway, changeOrigin: true },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-support/setup.ts"],
    restoreMocks: true,
  },
});
