// Read-only queries on the stack's databases (one per service), to check effects the API does not show:
// outbox rows, the consumers' inbox, replicated users.
import pg from "pg";
import { databaseUrl, type ServiceName } from "./stack.ts";

export interface Databases {
  query<T extends Record<string, unknown>>(service: ServiceName, sql: string, params?: unknown[]): Promise<T[]>;
  /** A `select count(*)::int as n ...` query's n. */
  count(service: ServiceName, sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export function openDatabases(): Databases {
  const pools = new Map<ServiceName, pg.Pool>();
  const pool = (service: ServiceName) => {
    let existing = pools.get(service);
    if (!existing) {
      existing = new pg.Pool({ connectionString: databaseUrl(service), max: 2 });
      pools.set(service, existing);
    }
    return existing;
  };
  return {
    async query<T extends Record<string, unknown>>(service: ServiceName, sql: string, params: unknown[] = []) {
      return (await pool(service).query(sql, params)).rows as T[];
    },
    async count(service: ServiceName, sql: string, params: unknown[] = []) {
      const n = (await pool(service).query(sql, params)).rows[0]?.n;
      if (typeof n !== "number") throw new Error(`not a count query: ${sql}`);
      return n;
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.end()));
    },
  };
}
