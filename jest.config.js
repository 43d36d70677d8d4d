// One jest configuration for the workspace: TypeScript through SWC, native ESM (tests run with
// --experimental-vm-modules, see scripts/test.sh). Projects split the suites so that each can run alone:
// `npm run test:unit`, `npm run test:int` (integration and contract), `npm run test:stack` (contract through
// Envoy and stack); arguments after `--` go to jest, e.g. `npm run test:unit -- -t login`.
const transform = {
  "^.+\\.(t|j)sx?$": [
    "@swc/jest",
    {
      jsc: { parser: { syntax: "typescript", tsx: true }, target: "es2024" },
      module: { type: "es6" },
    },
  ],
};
const common = {
  transform,
  extensionsToTreatAsEsm: [".ts", ".tsx"],
  testEnvironment: "node",
  transformIgnorePatterns: ["/node_modules/", "/proto/gen/"],
};
export default {
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: ["<rootDir>/{services,gateway,proto,scripts}/**/*.test.ts", "!**/node_modules/**"],
      testPathIgnorePatterns: ["/node_modules/", "\\.(fast|int|contract|stack|e2e)\\.test\\.ts$"],
    },
    {
      ...common,
      // Use cases against the service's real migrations on an in-process PostgreSQL (PGlite): seconds, and no
      // component to start. They run in the unit stage.
      displayName: "fast",
      testMatch: ["<rootDir>/{services,gateway,scripts,test}/**/*.fast.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/services/shared/src/testing/fast-tier-setup.ts"],
    },
    {
      ...common,
      displayName: "integration",
      testMatch: ["<rootDir>/{services,gateway,scripts,test}/**/*.int.test.ts"],
    },
    {
      ...common,
      // The REST surface through a gateway: the embedded one (started by the suite) or, with GATEWAY_URL,
      // Envoy on the running stack.
      displayName: "contract",
      testMatch: ["<rootDir>/{services,gateway,test}/**/*.contract.test.ts"],
    },
    {
      ...common,
      // Tests that need the full stack running (`npm run stack`): Envoy, mutual TLS, Kafka end to end.
      displayName: "stack",
      testMatch: ["<rootDir>/{services,gateway,scripts,test}/**/*.stack.test.ts"],
    },
  ],
};
