// Embedded PostgreSQL (PGlite, PostgreSQL compiled to WebAssembly): a service database served on a free
// loopback port by pglite-socket, so that a service's ORM connects to it with an ordinary
// postgres:// URL, exactly as it connects to a real server. More than one connection is accepted: PGlite
// has a single session, the socket server queues statements, and a transaction holds the session for
// itself until it ends (measured with MikroORM 7's PostgreSQL driver).
//
// A new PGlite runs initdb, which takes seconds; loading the files of a freshly initialised one takes a
// fraction of that. So the first new database of a machine is dumped as a template (`<cache>/template-
// <pglite version>.tar`) and every later new database (in memory for tests, or a first start) starts from it.
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { schemaTurns } from "./pglite-schema-turns.ts";

export interface EmbeddedDatabase {
  /** `postgres://postgres:postgres@127.0.0.1:<port>/postgres` (PGlite accepts any password). */
  url: string;
  close(): Promise<void>;
}

export const IN_MEMORY = ":memory:";

export interface EmbeddedDatabaseOptions {
  /** A directory (kept across restarts), or `:memory:`. */
  dataDir: string;
  /** Where the initialised template is kept. */
  cacheDir?: string;
  maxConnections?: number;
}

/** PGlite's version (its package.json is not exported): a template is only ever loaded by the same version. */
function pgliteVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.resolve("@electric-sql/pglite")));
  while (dir !== path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "@electric-sql/pglite" && pkg.version) return pkg.version;
    }
    dir = path.dirname(dir);
  }
  return "unknown";
}

let template: Promise<Blob | undefined> | undefined;

/** The files of a freshly initialised database, from the cache or made now (and cached). */
function initialisedTemplate(cacheDir: string): Promise<Blob | undefined> {
  template ??= (async () => {
    const file = path.resolve(cacheDir, `template-${pgliteVersion()}.tar`);
    if (existsSync(file)) return new Blob([await readFile(file)]);
    const fresh = await PGlite.create("memory://");
    const dump = await fresh.dumpDataDir("none");
    await fresh.close();
    await mkdir(path.dirname(file), { recursive: true });
    // Written under another name first: a half-written template must never be loaded.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  })().catch(() => undefined);
  return template;
}

// PostgreSQL's defaults size a server (shared_buffers 128 MB) and PGlite starts its WebAssembly memory at
// 128 MB: three of them held 600 MB of a 860 MB `npm start`. A service database of a development machine
// needs a fraction of that; the memory still grows when a query needs more.
const SMALL = {
  startParams: [
    ...PGlite.defaultStartParams,
    "-c",
    "shared_buffers=8MB",
    "-c",
    "wal_buffers=1MB",
    "-c",
    "temp_buffers=2MB",
    "-c",
    "work_mem=2MB",
    "-c",
    "maintenance_work_mem=16MB",
  ],
};

async function openDatabase(options: EmbeddedDatabaseOptions): Promise<PGlite> {
  const cacheDir = options.cacheDir ?? ".data/embedded";
  if (options.dataDir === IN_MEMORY) {
    const loadDataDir = await initialisedTemplate(cacheDir);
    return PGlite.create({ ...SMALL, dataDir: "memory://", ...(loadDataDir ? { loadDataDir } : {}) });
  }
  const dataDir = path.resolve(options.dataDir);
  if (existsSync(path.join(dataDir, "PG_VERSION"))) return PGlite.create({ ...SMALL, dataDir });
  await mkdir(path.dirname(dataDir), { recursive: true });
  const loadDataDir = await initialisedTemplate(cacheDir);
  return PGlite.create({ ...SMALL, dataDir, ...(loadDataDir ? { loadDataDir } : {}) });
}

/** Serves `db` on a free loopback port; with `schema`, every statement runs with that `search_path`. */
async function serveOnSocket(db: PGlite, maxConnections: number, schema?: string): Promise<EmbeddedDatabase> {
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections });
  await server.start();
  const port = Number(/:(\d+)$/.exec(server.getServerConn())?.[1] ?? 0);
  if (!port) {
    await server.stop();
    throw new Error("embedded database: the socket server has no port");
  }
  // `?schema=` is MikroORM's own: its migrations table goes there too (it would be `public` otherwise).
  const query = schema ? `?schema=${encodeURIComponent(schema)}` : "";
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres${query}`, close: () => server.stop() };
}

/** One database in a PGlite of its own. */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const db = await openDatabase(options);
  try {
    const served = await serveOnSocket(db, options.maxConnections ?? 16);
    return {
      url: served.url,
      async close() {
        await served.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

export interface EmbeddedDatabases {
  /** Each name's database URL. */
  urls: Record<string, string>;
  /** Where they are kept: "one PGlite, a schema each", or "a PGlite each" (a data folder of an earlier version). */
  layout: "schemas" | "instances";
  close(): Promise<void>;
}

/**
 * The databases of several services: schemas of one PGlite (`<dataDir>/postgres`), each served on a port
 * of its own where every statement runs in that schema. A data folder from before this layout (a PGlite per
 * service in `<dataDir>/<name>`) is opened as it is: a PGlite each, about 100 MB more memory for `npm start`.
 */
export async function startEmbeddedDatabases(names: readonly string[], options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabases> {
  if (names.length === 0) return { urls: {}, layout: "schemas", close: async () => {} };
  const maxConnections = options.maxConnections ?? 16;
  const persistent = options.dataDir !== IN_MEMORY;
  const earlierLayout = persistent && names.some((name) => existsSync(path.join(options.dataDir, name, "PG_VERSION")));
  const opened: Array<{ close(): Promise<void> }> = [];
  const closeAll = async () => {
    for (const item of opened.reverse()) await item.close();
  };
  const urls: Record<string, string> = {};
  try {
    if (earlierLayout) {
      for (const name of names) {
        const db = await startEmbeddedDatabase({ ...options, dataDir: path.join(options.dataDir, name), maxConnections });
        opened.push(db);
        urls[name] = db.url;
      }
      return { urls, layout: "instances", close: closeAll };
    }
    const db = await openDatabase({ ...options, dataDir: persistent ? path.join(options.dataDir, "postgres") : IN_MEMORY });
    opened.push(db);
    const turns = schemaTurns(db);
    for (const name of names) {
      const served = await serveOnSocket(turns.viewFor(name), maxConnections, name);
      opened.push(served);
      urls[name] = served.url;
    }
    return { urls, layout: "schemas", close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
