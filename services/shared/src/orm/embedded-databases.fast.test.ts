// The databases of `npm start` are schemas of one PGlite, which has a single session: each schema's
// connections must see only that schema, and a transaction or a statement of one schema must never run
// inside another schema's turn, however the connections of both interleave.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createOrm } from "./create-orm.ts";
import { type EmbeddedDatabases, IN_MEMORY, startEmbeddedDatabase, startEmbeddedDatabases } from "./embedded-database.ts";

let databases: EmbeddedDatabases;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  databases = await startEmbeddedDatabases(["left", "right"], { dataDir: IN_MEMORY });
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await databases.close();
});

function poolOf(name: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: databases.urls[name], max });
  pools.push(pool);
  return pool;
}

test("each name is a schema of one PGlite, with its own migrations table", async () => {
  expect(databases.layout).toBe("schemas");
  for (const name of ["left", "right"]) {
    const orm = await createOrm({ databaseUrl: databases.urls[name] as string, entities: [], migrations: [], poolMax: 2 });
    await orm.close(true);
  }
  const left = poolOf("left", 1);
  const tables = await left.query<{ schema: string; table: string }>(
    "select table_schema as schema, table_name as table from information_schema.tables where table_name in ('outbox_event', 'mikro_orm_migrations') order by 1, 2",
  );
  expect(tables.rows).toEqual([
    { schema: "left", table: "mikro_orm_migrations" },
    { schema: "left", table: "outbox_event" },
    { schema: "right", table: "mikro_orm_migrations" },
    { schema: "right", table: "outbox_event" },
  ]);
});

test("interleaved transactions and parameterised statements of two schemas each stay in their own schema", async () => {
  const left = poolOf("left");
  const right = poolOf("right");
  await left.query("create table item (n int primary key, side text not null)");
  await right.query("create table item (n int primary key, side text not null)");

  // Half of the transactions roll back: a statement of the other schema run inside one would vanish with it.
  const writes = async (pool: pg.Pool, side: string, from: number) => {
    const client = await pool.connect();
    try {
      await client.query("begin");
      for (let n = from; n < from + 5; n++) await client.query("insert into item (n, side) values ($1, $2)", [n, side]);
      // Another schema's statements queue behind this transaction; they must not see or join it.
      await new Promise((r) => setTimeout(r, 5));
      await client.query(from % 20 === 0 ? "commit" : "rollback");
    } finally {
      client.release();
    }
  };
  const reads = (pool: pg.Pool, side: string) =>
    Array.from({ length: 20 }, (_, i) => pool.query<{ side: string }>("select $1::text as side from item limit 1", [side + i]));
  const results = await Promise.all([
    ...Array.from({ length: 4 }, (_, i) => writes(left, "left", i * 10)),
    ...Array.from({ length: 4 }, (_, i) => writes(right, "right", i * 10)),
    ...reads(left, "left"),
    ...reads(right, "right"),
  ]);
  expect(results.filter((r) => r !== undefined)).toHaveLength(40);

  const sides = async (pool: pg.Pool) =>
    (await pool.query<{ side: string; n: number }>("select side, count(*)::int as n from item group by side")).rows;
  expect(await sides(left)).toEqual([{ side: "left", n: 10 }]);
  expect(await sides(right)).toEqual([{ side: "right", n: 10 }]);
});

test("a connection that goes away inside its transaction gives the session back, rolled back", async () => {
  const left = new pg.Client({ connectionString: databases.urls.left });
  left.on("error", () => {});
  await left.connect();
  await left.query("create table dropped (n int)");
  await left.query("begin");
  await left.query("insert into dropped values (1)");
  left.connection.stream.destroy();

  const right = poolOf("right", 1);
  const answered = await right.query<{ one: number }>("select 1 as one");
  expect(answered.rows).toEqual([{ one: 1 }]);
  const after = poolOf("left", 1);
  expect((await after.query<{ n: number }>("select count(*)::int as n from dropped")).rows).toEqual([{ n: 0 }]);
});

test("a data folder of the earlier layout (a PGlite per name) is opened as it is, its data kept", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "earlier-layout-"));
  try {
    const earlier = await startEmbeddedDatabase({ dataDir: path.join(dir, "left") });
    const client = new pg.Client({ connectionString: earlier.url });
    await client.connect();
    await client.query("create table kept (n int); insert into kept values (7)");
    await client.end();
    await earlier.close();

    const reopened = await startEmbeddedDatabases(["left"], { dataDir: dir });
    try {
      expect(reopened.layout).toBe("instances");
      const again = new pg.Client({ connectionString: reopened.urls.left });
      await again.connect();
      expect((await again.query("select n from kept")).rows).toEqual([{ n: 7 }]);
      await again.end();
    } finally {
      await reopened.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
