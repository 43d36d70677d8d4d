// The stack's service replicas as processes (scripts/stack.sh runs each under a supervisor that restarts it),
// and what Envoy thinks of them (its admin interface): for tests that kill and restart replicas.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { opsUrl, rpcPort, type ServiceName, stackLogDir } from "./stack.ts";

export const envoyAdmin = process.env.ENVOY_ADMIN_URL ?? "http://127.0.0.1:9901";

/** The pid of the node process replica k runs now (the supervisor writes it at every start). */
export function replicaPid(service: ServiceName, replica: number): number | undefined {
  try {
    const pid = Number(readFileSync(resolve(stackLogDir, `${service}-${replica}.node.pid`), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function signalReplica(service: ServiceName, replica: number, signal: "SIGKILL" | "SIGTERM"): number {
  const pid = replicaPid(service, replica);
  if (!pid) throw new Error(`${service}-${replica}: no .node.pid (is the stack running under its supervisor?)`);
  process.kill(pid, signal);
  return pid;
}

export async function replicaReady(service: ServiceName, replica: number): Promise<boolean> {
  try {
    const res = await fetch(`${opsUrl(service, replica)}/readyz`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

export type EnvoyHostHealth = "healthy" | "ejected" | "failed health check";

interface HostStatus {
  address?: { socket_address?: { port_value?: number } };
  health_status?: { failed_outlier_check?: boolean; failed_active_health_check?: boolean; eds_health_status?: string };
}

/** How Envoy sees replica k of a service: ejected by outlier detection, failing its health check, or healthy. */
export async function envoyHostHealth(service: ServiceName, replica: number): Promise<EnvoyHostHealth> {
  const res = await fetch(`${envoyAdmin}/clusters?format=json`, { signal: AbortSignal.timeout(2000) });
  const body = (await res.json()) as { cluster_statuses?: Array<{ name: string; host_statuses?: HostStatus[] }> };
  const host = body.cluster_statuses
    ?.find((c) => c.name === service)
    ?.host_statuses?.find((h) => h.address?.socket_address?.port_value === rpcPort(service, replica));
  if (!host) throw new Error(`Envoy has no host for ${service}-${replica}`);
  if (host.health_status?.failed_outlier_check) return "ejected";
  if (host.health_status?.failed_active_health_check) return "failed health check";
  return "healthy";
}

/** Polls every 50 ms until `check` is true; the milliseconds it took, or an error after `timeoutMs`. */
export async function msUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
