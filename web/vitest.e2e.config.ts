import { defineConfig } from "vitest/config";

// Browser journeys against a running gateway (see e2e/run.sh). One file at a time: they share the stack.
export default defineConfig({
  test: {
    environment: "node",
    include: ["e2e/**/*.e2e.test.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
