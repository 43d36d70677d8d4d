// The three services' databases the import writes to, with the services' own migrations applied first (so
// `legacy_id` exists however old the schema was): PostgreSQL (the stack, production) by URL, or the embedded
// databases of `npm start` (PGlite): through the running platform's published URLs, or, when it is stopped,
// opened here (and published, so the platform does not start on them meanwhile).
import { authService } from "@identity/auth/definition.ts";
import { friendshipService } from "@identity/friendship/definition.ts";
import { publishDatabases, readPublishedDatabases, unpublishDatabases } from "@identity/gateway/embedded/published-databases.ts";
import { profileService } from "@identity/profile/definition.ts";
import { type Owner, owners } from "@identity/proto/contract";
import { createOrm } from "@identity/shared/orm/create-orm.ts";
import { IN_MEMORY, startEmbeddedDatabases } from "@identity/shared/orm/embedded-database.ts";
import pg from "pg";

/** The services whose databases are written: every service process of the contract. */
export const SERVICES = owners;
export type ServiceName = Owner;
export type TargetUrls = Record<ServiceName, string>;

export type TargetChoice =
  | { kind: "urls"; urls: TargetUrls }
  /** One PostgreSQL server, the services' databases under their default names (identity_auth, ...). */
  | { kind: "server"; url: string }
  | { kind: "embedded"; dataDir: string };

export interface Targets {
  clients: Record<ServiceName, pg.Client>;
  /** For the summary: where the data went. */
  description: string;
  close(): Promise<void>;
}

const definitions = { auth: authService, profile: profileService, friendship: friendshipService };

function databaseOnServer(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Where each service's database is, and what to release at the end. */
async function locate(choice: TargetChoice): Promise<{ urls: TargetUrls; description: string; release: () => Promise<void> }> {
  const none = async () => {};
  if (choice.kind === "urls") return { urls: choice.urls, description: "the given databases", release: none };
  if (choice.kind === "server") {
    const urls = Object.fromEntries(SERVICES.map((s) => [s, databaseOnServer(choice.url, definitions[s].defaults.database)])) as TargetUrls;
    return { urls, description: `PostgreSQL ${new URL(choice.url).host}`, release: none };
  }
  if (choice.dataDir === IN_MEMORY) throw new Error("an in-memory platform keeps nothing: import into a data folder");
  const published = readPublishedDatabases(choice.dataDir);
  if (published) {
    const missing = SERVICES.filter((s) => !published.databases[s]);
    if (missing.length > 0) throw new Error(`the running platform (pid ${published.pid}) has no ${missing.join(", ")} database`);
    if (published.holder !== "platform")
      throw new Error(`the databases in ${choice.dataDir} are in use by process ${published.pid} (${published.holder})`);
    return {
      urls: published.databases as TargetUrls,
      description: `the running embedded platform (pid ${published.pid}, ${choice.dataDir})`,
      release: none,
    };
  }
  const opened = await startEmbeddedDatabases(SERVICES, { dataDir: choice.dataDir, maxConnections: 8 });
  const urls = opened.urls as TargetUrls;
  publishDatabases(choice.dataDir, "import", urls);
  return {
    urls,
    description: `the embedded databases in ${choice.dataDir} (platform stopped)`,
    async release() {
      unpublishDatabases(choice.dataDir);
      await opened.close();
    },
  };
}

export async function openTargets(choice: TargetChoice): Promise<Targets> {
  const { urls, description, release } = await locate(choice);
  const clients: Partial<Record<ServiceName, pg.Client>> = {};
  try {
    for (const s of SERVICES) {
      const definition = definitions[s];
      // The services' migrations, exactly as a service start applies them (under their advisory lock).
      const orm = await createOrm({
        databaseUrl: urls[s],
        entities: definition.entities,
        migrations: definition.migrations,
        poolMax: 1,
        createDatabase: choice.kind !== "embedded",
      });
      await orm.close();
      const client = new pg.Client({ connectionString: urls[s], application_name: "import:drf" });
      await client.connect();
      clients[s] = client;
    }
  } catch (err) {
    await Promise.all(Object.values(clients).map((c) => c.end().catch(() => {})));
    await release();
    throw err;
  }
  return {
    clients: clients as Record<ServiceName, pg.Client>,
    description,
    async close() {
      await Promise.all(Object.values(clients).map((c) => c.end().catch(() => {})));
      await release();
    },
  };
}
