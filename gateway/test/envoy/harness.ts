// Runs the real Envoy on a configuration rendered for given ports, for tests: the gateway's own and the
// end-to-end suites (contract tests through Envoy, mutual TLS refusals, gRPC clients). Each call gets its own
// listener and admin ports, its own temp folder and its own process, so several can run at once.
//
//   const envoy = await startEnvoy({ services: { auth: [50051], profile: [50052], friendship: [50053] } });
//   fetch(`${envoy.url}/api/auth/login/`, ...); ... await envoy.stop();
//
// Certificates come from $CERTS_DIR or .data/certs (made by gateway/certs/make-certs.sh when missing).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Owner } from "@identity/proto/contract";
import { defaultCertsDir, type GatewayOptions, sanOf } from "../../src/envoy/options.ts";
import { renderEnvoyConfig } from "../../src/envoy/render.ts";
import { contractDescriptorPath, toYaml } from "../../src/envoy/to-yaml.ts";
import { transcoderDescriptor } from "../../src/envoy/transcoder-descriptor.ts";

export const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

export interface EnvoyHarnessOptions {
  /** RPC ports of each service's replicas on 127.0.0.1 (TLS, client certificate required). */
  services: Record<Owner, number[]>;
  /** Port of the static web/docs server on 127.0.0.1; a closed port by default. */
  webPort?: number;
  certsDir?: string;
  /** Anything else to override in the rendered options (rate limits, CORS origins, environment...). */
  overrides?: Partial<GatewayOptions>;
}

export interface RunningEnvoy {
  url: string;
  adminUrl: string;
  configPath: string;
  options: GatewayOptions;
  /** Everything Envoy wrote so far (access log on stdout, its own log on stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** Path of the Envoy binary (installs it through scripts/components/envoy.sh when needed). */
export function envoyBinary(): string {
  return execFileSync("bash", [join(repoRoot, "scripts/components/envoy.sh"), "path"], { encoding: "utf8" }).trim();
}

export function ensureCerts(certsDir: string): void {
  if (existsSync(join(certsDir, "envoy.crt"))) return;
  execFileSync("bash", [join(repoRoot, "gateway/certs/make-certs.sh")], { env: { ...process.env, CERTS_DIR: certsDir }, stdio: "ignore" });
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Options for a local test: everything on 127.0.0.1, absolute paths, generous rate limits. */
export async function harnessOptions(h: EnvoyHarnessOptions, workDir: string): Promise<GatewayOptions> {
  const certsDir = resolve(h.certsDir ?? process.env.CERTS_DIR ?? join(repoRoot, defaultCertsDir));
  ensureCerts(certsDir);
  const service = (owner: Owner) => ({ endpoints: h.services[owner].map((port) => ({ host: "127.0.0.1", port })), san: sanOf(owner) });
  return {
    environment: "dev",
    listen: { host: "127.0.0.1", port: await freePort() },
    admin: { host: "127.0.0.1", port: await freePort() },
    services: { auth: service("auth"), profile: service("profile"), friendship: service("friendship") },
    web: { host: "127.0.0.1", port: h.webPort ?? (await freePort()) },
    certs: { ca: join(certsDir, "ca.crt"), cert: join(certsDir, "envoy.crt"), key: join(certsDir, "envoy.key") },
    transcoderDescriptor: join(workDir, "transcoder.binpb"),
    corsAllowedOrigins: ["http://localhost:3000", "http://localhost:8080"],
    jwt: { issuer: "identity-platform", audiences: ["react-frontend"], jwksCacheSeconds: 300 },
    rateLimits: { auth: { requests: 10000, periodSeconds: 60 }, default: { requests: 10000, periodSeconds: 60 } },
    rateLimitTrackedClients: 1000,
    trustedProxies: { hops: 0, cidrs: [] },
    edgeTls: undefined,
    ...h.overrides,
  };
}

/** Renders the configuration and its descriptor set into `workDir`; returns the config's path. */
export function writeConfig(options: GatewayOptions, workDir: string): string {
  writeFileSync(options.transcoderDescriptor, transcoderDescriptor(readFileSync(contractDescriptorPath)));
  const configPath = join(workDir, "envoy.yaml");
  writeFileSync(configPath, toYaml(renderEnvoyConfig(options)));
  return configPath;
}

async function waitReady(adminUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`envoy exited with ${child.exitCode}:\n${output().slice(-3000)}`);
    try {
      if ((await fetch(`${adminUrl}/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`envoy not ready within 30s:\n${output().slice(-3000)}`);
}

export async function startEnvoy(h: EnvoyHarnessOptions): Promise<RunningEnvoy> {
  const workDir = mkdtempSync(join(tmpdir(), "identity-envoy-"));
  const options = await harnessOptions(h, workDir);
  const configPath = writeConfig(options, workDir);
  const child = spawn(envoyBinary(), ["-c", configPath, "--disable-hot-restart", "--log-level", "warn"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const output = () => out;
  const adminUrl = `http://127.0.0.1:${options.admin.port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await waitReady(adminUrl, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${options.listen.port}`, adminUrl, configPath, options, output, stop };
}

/** Waits until Envoy's health checks see every service healthy (the gateway's /readyz answers 200). */
export async function waitHealthy(envoy: RunningEnvoy, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await fetch(`${envoy.url}/readyz`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`upstreams not healthy within ${timeoutMs}ms:\n${envoy.output().slice(-3000)}`);
}
