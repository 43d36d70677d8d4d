// While a process holds the embedded databases of a data folder (the platform of `npm start`, or
// `npm run import:drf` when the platform is stopped), it says so in `<data folder>/databases.json`: its pid and
// each service's database URL (PGlite on a loopback socket). Another process then reaches the databases
// through those URLs instead of opening the same files a second time, which PGlite does not survive.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface PublishedDatabases {
  pid: number;
  /** Who holds them: "platform" or "import". */
  holder: string;
  databases: Record<string, string>;
}

const fileOf = (dataDir: string) => path.join(dataDir, "databases.json");

/** A live Node process (a reused pid of something else does not count, where /proc tells). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("node");
  } catch {
    return true;
  }
}

/** The databases another live process holds in `dataDir`, if any (a file left by a killed process is ignored). */
export function readPublishedDatabases(dataDir: string): PublishedDatabases | undefined {
  const file = fileOf(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const published = JSON.parse(readFileSync(file, "utf8")) as PublishedDatabases;
    return published.pid !== process.pid && alive(published.pid) ? published : undefined;
  } catch {
    return undefined;
  }
}

export function publishDatabases(dataDir: string, holder: string, databases: Record<string, string>): void {
  const published: PublishedDatabases = { pid: process.pid, holder, databases };
  writeFileSync(fileOf(dataDir), `${JSON.stringify(published, null, 2)}\n`, { mode: 0o600 });
}

export function unpublishDatabases(dataDir: string): void {
  const file = fileOf(dataDir);
  try {
    const published = JSON.parse(readFileSync(file, "utf8")) as PublishedDatabases;
    if (published.pid === process.pid) rmSync(file, { force: true });
  } catch {
    // Nothing published, or not by this process.
  }
}
