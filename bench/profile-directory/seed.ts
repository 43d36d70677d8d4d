// Seeds N users in one statement: INSERT ... SELECT over generate_series. The profile table's trigger builds
// the search prefixes exactly as it does for users created through the service.
import type { MikroORM } from "@mikro-orm/postgresql";

const FIRST = [
  "james",
  "mary",
  "john",
  "patricia",
  "robert",
  "jennifer",
  "michael",
  "linda",
  "william",
  "elizabeth",
  "david",
  "barbara",
  "richard",
  "susan",
  "joseph",
  "jessica",
  "thomas",
  "sarah",
  "charles",
  "karen",
  "joan",
  "anna",
  "mark",
  "lisa",
  "paul",
  "nancy",
  "steven",
  "betty",
  "andrew",
  "sandra",
  "kevin",
  "ashley",
  "brian",
  "emily",
  "george",
  "donna",
  "edward",
  "michelle",
  "ronald",
  "carol",
];
const LAST = [
  "smith",
  "johnson",
  "williams",
  "brown",
  "jones",
  "garcia",
  "miller",
  "davis",
  "rodriguez",
  "martinez",
  "hernandez",
  "lopez",
  "gonzalez",
  "wilson",
  "anderson",
  "thomas",
  "taylor",
  "moore",
  "jackson",
  "martin",
  "lee",
  "perez",
  "thompson",
  "white",
  "harris",
  "sanchez",
  "clark",
  "ramirez",
  "lewis",
  "robinson",
  "walker",
  "young",
  "allen",
  "king",
  "wright",
  "scott",
  "torres",
  "nguyen",
  "hill",
  "flores",
];

const literal = (words: string[]) => `array[${words.map((w) => `'${w}'`).join(",")}]`;

/** Inserts `count` users named like `john_smith123` / "John Smith"; returns one of their ids. */
export async function seedUsers(orm: MikroORM, count: number): Promise<string> {
  const conn = orm.em.fork().getConnection();
  await conn.execute(
    `insert into profile (user_id, username, display_name, created_at, updated_at)
     select gen_random_uuid(), f || '_' || l || n, initcap(f) || ' ' || initcap(l), now(), now()
     from generate_series(1, ?) as n,
       lateral (select (${literal(FIRST)})[1 + n % ${FIRST.length}] as f) as first_name,
       lateral (select (${literal(LAST)})[1 + (n / ${FIRST.length}) % ${LAST.length}] as l) as last_name`,
    [count],
  );
  // Vacuum too: sets the visibility map (index-only scans) and leaves autovacuum nothing to do mid-run.
  await conn.execute("vacuum analyze");
  const [row] = (await conn.execute("select user_id from profile order by username_key limit 1 offset ?", [
    Math.floor(count / 2),
  ])) as Array<{ user_id: string }>;
  if (!row) throw new Error("seed produced no users");
  return row.user_id;
}
