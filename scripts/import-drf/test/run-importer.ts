// Runs `import:drf` as the operator would (a child process, stdout not a terminal) and reads its summary.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Tally } from "../tally.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface ImportResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  summary: (Tally & { dryRun: boolean }) | undefined;
}

export function startImporter(args: string[]): { child: ChildProcess; done: Promise<ImportResult> } {
  const summaryFile = path.join(mkdtempSync(path.join(tmpdir(), "import-drf-")), "summary.json");
  const child = spawn(process.execPath, [path.join(root, "scripts/import-drf/main.ts"), ...args, "--summary-json", summaryFile], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<ImportResult>((resolve) => {
    child.on("close", (code, signal) => {
      let summary: ImportResult["summary"];
      try {
        summary = JSON.parse(readFileSync(summaryFile, "utf8"));
      } catch {
        summary = undefined;
      }
      resolve({ code, signal, stdout, stderr, summary });
    });
  });
  return { child, done };
}

export const runImporter = (args: string[]) => startImporter(args).done;
