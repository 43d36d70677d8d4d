// Where the running stack is (`bash scripts/stack.sh up`, see docs/deploy.md), and a check that it is up: the
// stack suites need it and fail with a clear message when it is not (they never skip).
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Owner, owners } from "@identity/proto/contract";
import { defaultPorts } from "@identity/shared/server/default-ports.ts";

export const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const gatewayUrl = (process.env.GATEWAY_URL ?? "http://localhost:8080").replace(/\/$/, "");
export const certsDir = process.env.CERTS_DIR ?? resolve(repoRoot, ".data/certs");
export const stackLogDir = resolve(repoRoot, ".data/stack");
export const kafkaBrokers = process.env.KAFKA_BROKERS ?? `localhost:${process.env.KAFKA_PORT ?? 9092}`;

export type ServiceName = Owner;

/** Replica k (1-based) listens on the base ports + 100(k-1), as scripts/stack.sh starts them. */
export const rpcPort = (service: ServiceName, replica = 1) => defaultPorts[service].rpcPort + 100 * (replica - 1);
export const opsUrl = (service: ServiceName, replica = 1) => `http://127.0.0.1:${defaultPorts[service].opsPort + 100 * (replica - 1)}`;
/** The DNS name in each service's certificate (its only SAN). */
export const serverName = (service: ServiceName) => `${service}.identity.internal`;

async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

const howToStart = "start it with `STACK_REPLICAS=2 bash scripts/stack.sh up` (or `npm test`, which does)";

/** For beforeAll: the gateway answers and every service has a healthy replica; with `replicas`, each replica is ready. */
export async function requireStack(options: { replicas?: number } = {}): Promise<void> {
  if (!(await answers200(`${gatewayUrl}/healthz`))) {
    throw new Error(`the full stack is not running: ${gatewayUrl}/healthz does not answer 200; ${howToStart}`);
  }
  if (!(await answers200(`${gatewayUrl}/readyz`))) {
    throw new Error(
      `the gateway at ${gatewayUrl} is up but not ready (/readyz): a service is down or fails mTLS; see \`bash scripts/stack.sh status\``,
    );
  }
  for (let k = 1; k <= (options.replicas ?? 1); k++) {
    for (const service of owners) {
      if (!(await answers200(`${opsUrl(service, k)}/readyz`))) {
        throw new Error(
          `${service} replica ${k} is not ready on ${opsUrl(service, k)}/readyz: these tests need STACK_REPLICAS=${options.replicas ?? 1}; ${howToStart}`,
        );
      }
    }
  }
}

/** The stack's PostgreSQL URL for one service's database (identity_<service>), from the component script. */
export function databaseUrl(service: ServiceName): string {
  const base = execFileSync("bash", [resolve(repoRoot, "scripts/components/postgres.sh"), "url"], { encoding: "utf8" }).trim();
  return `${base.slice(0, base.lastIndexOf("/"))}/identity_${service}`;
}

/** A Prometheus counter's value from a service replica's /metrics, summed over the series matching every label. */
export async function metricValue(
  service: ServiceName,
  replica: number,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${opsUrl(service, replica)}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const series = match[2] ?? "";
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) sum += Number(match[3]);
  }
  return sum;
}

/** Polls `check` until it returns a value other than undefined, or fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ""}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
