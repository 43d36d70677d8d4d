// The real grpcurl (scripts/components/grpcurl.sh builds it into .tools), for tests that use the platform as
// an operator would: through gRPC server reflection, without any .proto file.
import { execFile, execFileSync } from "node:child_process";
import path from "node:path";

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
