// A service as its own process, the way the stack and production run it (`node services/<svc>/src/main.ts`):
// it reads its configuration once and fails fast naming what is wrong, logs JSON, answers /healthz, /readyz
// and the gRPC health service, and stops gracefully on SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "@identity/proto/grpc/health/v1/health_pb.js";
import { createTestDatabase, type TestDatabase } from "@identity/shared/testing/test-database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("process");
});
afterAll(async () => {
  await db?.drop();
});

interface Started {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ["services/profile/src/main.ts"], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffer = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const line of parts) if (line.trim()) lines.push(JSON.parse(line));
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { child, lines, exited };
}

async function waitFor<T>(what: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("bad configuration: exit 1 with every problem named, before anything listens", async () => {
  const service = start({ ENVIRONMENT: "prod", RPC_PORT: "seventy", EVENT_BUS: "carrier-pigeon" });
  expect(await service.exited).toBe(1);
  const fatal = service.lines.find((l) => l.msg === "invalid configuration") as { problems: string[] } | undefined;
  expect(fatal?.problems.join("\n")).toMatch(/RPC_PORT/);
  expect(fatal?.problems.join("\n")).toMatch(/EVENT_BUS/);
  expect(fatal?.problems.join("\n")).toMatch(/DATABASE_URL/);
}, 30_000);

test("starts, answers health on both ports, logs JSON, and stops on SIGTERM with exit 0", async () => {
  const service = start({ ENVIRONMENT: "dev", DATABASE_URL: db.url, EVENT_BUS: "memory", RPC_PORT: "0", OPS_PORT: "0" });
  try {
    const listening = (await waitFor(() => service.lines.find((l) => l.msg === "listening"))) as { rpcPort: number; opsPort: number };
    expect(listening).toMatchObject({ service: "profile", level: 30 });
    expect((await fetch(`http://127.0.0.1:${listening.opsPort}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${listening.opsPort}/readyz`)).status).toBe(200);
    const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${listening.rpcPort}` }));
    expect((await health.check({})).status).toBe(HealthCheckResponse_ServingStatus.SERVING);

    service.child.kill("SIGTERM");
    expect(await service.exited).toBe(0);
    expect(service.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["shutting down", "stopped"]));
  } finally {
    service.child.kill("SIGKILL");
  }
}, 60_000);

test("SIGTERM drains: readiness and the gRPC health check fail at once, requests are still served for the grace period, then exit 0", async () => {
  const service = start({
    ENVIRONMENT: "dev",
    DATABASE_URL: db.url,
    EVENT_BUS: "memory",
    RPC_PORT: "0",
    OPS_PORT: "0",
    DRAIN_GRACE_SECONDS: "2",
  });
  try {
    const listening = (await waitFor(() => service.lines.find((l) => l.msg === "listening"))) as { rpcPort: number; opsPort: number };
    // One HTTP/2 connection, opened before the signal, as Envoy's would be.
    const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${listening.rpcPort}` }));
    expect((await health.check({})).status).toBe(HealthCheckResponse_ServingStatus.SERVING);

    const signalled = Date.now();
    service.child.kill("SIGTERM");
    await waitFor(() => service.lines.find((l) => String(l.msg).startsWith("draining")));
    expect((await fetch(`http://127.0.0.1:${listening.opsPort}/readyz`)).status).toBe(503);
    // Answered (the connection is served), and the answer says: send nothing new here.
    expect((await health.check({})).status).toBe(HealthCheckResponse_ServingStatus.NOT_SERVING);
    expect(Date.now() - signalled).toBeLessThan(2000);

    expect(await service.exited).toBe(0);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(2000);
    expect(service.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["listeners closed; stopping background work", "stopped"]));
  } finally {
    service.child.kill("SIGKILL");
  }
}, 60_000);
