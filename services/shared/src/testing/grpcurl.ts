// The real grpcurl (scripts/components/grpcurl.sh builds it into .tools), for tests that use the platform as
// an operator would: through gRPC server reflection, without any .proto file.
import { execFile, execFileSync } from "node:child_process";
import path from "node:path";
import { isExposed, routes } from "@identity/proto/contract";
import { expect } from "@jest/globals";

const repoRoot = path.resolve(import.meta.dirname, "../../../..");
let binary: string | undefined;

export interface GrpcurlResult {
  status: number | null;
  out: string;
}

/** Runs grpcurl with these arguments (e.g. ["-plaintext", "127.0.0.1:8080", "list"]), without blocking this process. */
export function grpcurl(args: string[]): Promise<GrpcurlResult> {
  binary ??= execFileSync("bash", [path.join(repoRoot, "scripts/components/grpcurl.sh"), "path"], { encoding: "utf8" }).trim();
  const bin = binary;
  return new Promise((resolve) => {
    execFile(bin, ["-max-time", "20", ...args], { encoding: "utf8" }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ status, out: `${stdout}${stderr}` });
    });
  });
}

/** `grpcurl <args> list`: the services a server's reflection names (throws if grpcurl fails). */
export async function listServices(args: string[]): Promise<string[]> {
  const list = await grpcurl([...args, "list"]);
  if (list.status !== 0) throw new Error(`grpcurl list failed: ${list.out}`);
  return list.out.trim().split("\n");
}

/**
 * What a gateway's reflection must list, from the contract: every service with an RPC reachable from outside
 * (in the dev environment the tests run in), and none of the service-to-service ones.
 */
export function gatewayView(): { exposed: string[]; internal: string[] } {
  const exposed = new Set(routes.filter((r) => isExposed(r, "dev")).map((r) => r.service.typeName));
  const all = [...new Set(routes.map((r) => r.service.typeName))];
  return { exposed: [...exposed], internal: all.filter((name) => !exposed.has(name)) };
}

/** Asserts that a reflection listing is a gateway's view: every exposed service, and no internal one. */
export function expectGatewayView(names: readonly string[]): void {
  const { exposed, internal } = gatewayView();
  expect(names).toEqual(expect.arrayContaining([...exposed, "grpc.reflection.v1.ServerReflection"]));
  for (const name of internal) expect(names).not.toContain(name);
}

/** Logs in as a user who does not exist, plaintext through grpcurl: refused as UNAUTHENTICATED, in the spec's words. */
export async function expectUnknownLoginRefused(address: string): Promise<void> {
  const login = await grpcurl([
    "-plaintext",
    "-d",
    '{"username": "nobody_here", "password": "not the password"}',
    address,
    "identity.auth.v1.AuthService/Login",
  ]);
  expect(login.status).not.toBe(0);
  expect(login.out).toMatch(/Code: Unauthenticated[\s\S]*No active account found with the given credentials/);
}
