// deploy/kafka/service-acls.txt is the one table of Kafka ACLs: scripts/components/kafka.sh grants it on the local
// broker, deploy/kafka/redpanda-init.sh on docker compose's Redpanda. Checked here: it names only the platform's
// topics, each service writes only its own topic and the dead letters of what it consumes, docs/events.md shows
// the same table, and redpanda-init.sh turns each line into the users and ACLs it stands for (rpk is replaced by
// a recorder: there is no Redpanda without Docker; scripts/validate-deploy.sh checks the compose side).
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eventCatalogue, topics } from "@identity/proto/event-catalogue";
import { DEAD_LETTER_SUFFIX } from "../services/shared/src/events/dead-letter.ts";

const root = path.resolve(import.meta.dirname, "..");
const tableFile = path.join(root, "deploy/kafka/service-acls.txt");

interface Grant {
  service: string;
  writes: string[];
  reads: string[];
}

/** The table as kafka.sh and redpanda-init.sh read it: comments and blank lines skipped, "-" is no topic. */
function readTable(text: string): Grant[] {
  const list = (field: string | undefined) => (field === undefined || field === "-" ? [] : field.split(","));
  return text
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"))
    .map((line) => {
      const [service = "", writes, reads, ...rest] = line.trim().split(/\s+/);
      expect(rest).toEqual([]);
      return { service, writes: list(writes), reads: list(reads) };
    });
}

const table = readTable(readFileSync(tableFile, "utf8"));
/** Each service's own topic: the one the catalogue says it publishes. */
const ownTopic: Record<string, string> = Object.fromEntries(eventCatalogue.map((event) => [event.publisher, event.topic]));

test("the table has one line per service and names only the platform's topics and their dead letters", () => {
  expect(table.map((g) => g.service).sort()).toEqual(Object.keys(ownTopic).sort());
  const known = new Set(Object.values(topics).flatMap((t) => [t, `${t}${DEAD_LETTER_SUFFIX}`]));
  for (const grant of table) {
    for (const topic of [...grant.writes, ...grant.reads])
      expect([grant.service, topic, known.has(topic)]).toEqual([grant.service, topic, true]);
  }
});

test("each service writes only its own topic and the dead letters of what it consumes", () => {
  for (const { service, writes, reads } of table) {
    const events = writes.filter((t) => !t.endsWith(DEAD_LETTER_SUFFIX));
    expect({ service, events }).toEqual({ service, events: [ownTopic[service]] });
    const deadLetters = writes.filter((t) => t.endsWith(DEAD_LETTER_SUFFIX)).map((t) => t.slice(0, -DEAD_LETTER_SUFFIX.length));
    for (const origin of deadLetters) expect({ service, origin, consumed: reads.includes(origin) }).toMatchObject({ consumed: true });
    // A consumer that gives up on an event of another service's topic parks it in that topic's dead letters.
    const consumedFromOthers = reads.filter((t) => t !== ownTopic[service]).sort();
    expect({ service, deadLetters: deadLetters.sort() }).toEqual({ service, deadLetters: consumedFromOthers });
  }
});

test("docs/events.md shows the same table", () => {
  const docs = readFileSync(path.join(root, "docs/events.md"), "utf8");
  const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  const documented = docs
    .split("\n")
    .map((line) => /^\| `([a-z-]+)` \|([^|]*)\|([^|]*)\|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ service: m[1] as string, writes: backticked(m[2] as string), reads: backticked(m[3] as string) }));
  expect(documented).toEqual(table);
});

describe("redpanda-init.sh", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "redpanda-init-"));
    // Records each rpk call; with RPK_USER_EXISTS=1, `security user create` fails as it does for an existing user.
    writeFileSync(
      path.join(dir, "rpk"),
      '#!/usr/bin/env bash\necho "$*" >>"$RPK_LOG"\n[ "$RPK_USER_EXISTS" = 1 ] && [ "$1 $2 $3" = "security user create" ] && exit 1\nexit 0\n',
    );
    chmodSync(path.join(dir, "rpk"), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const passwords = { AUTH_KAFKA_PASSWORD: "pw-auth", PROFILE_KAFKA_PASSWORD: "pw-profile", FRIENDSHIP_KAFKA_PASSWORD: "pw-friendship" };
  function init(env: Record<string, string>) {
    const log = path.join(dir, "rpk.log");
    const run = spawnSync("bash", [path.join(root, "deploy/kafka/redpanda-init.sh")], {
      env: { PATH: `${dir}:${process.env.PATH}`, KAFKA_ACL_TABLE: tableFile, RPK_LOG: log, ...env },
      encoding: "utf8",
    });
    const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
    return { status: run.status, stderr: run.stderr, calls };
  }

  test("creates each principal and grants exactly its line of the table", () => {
    const { status, calls } = init(passwords);
    expect(status).toBe(0);
    expect(calls).toContain("security user create friendship --password pw-friendship --mechanism SCRAM-SHA-512");
    expect(calls).toContain(
      "security acl create --allow-principal User:friendship --operation write,describe --topic social.friendships.v1 --topic identity.users.v1.dlq --topic identity.profiles.v1.dlq",
    );
    expect(calls).toContain(
      "security acl create --allow-principal User:friendship --operation read,describe --topic identity.users.v1 --topic identity.profiles.v1",
    );
    expect(calls).toContain(
      "security acl create --allow-principal User:friendship --operation read --group friendship. --resource-pattern-type prefixed",
    );
    expect(calls).toContain(
      "security acl create --allow-principal User:profile --operation write,describe --topic identity.profiles.v1 --topic identity.users.v1.dlq",
    );
    expect(calls).toContain(
      "security acl create --allow-principal User:auth --operation describe,create --topic identity. --topic social. --resource-pattern-type prefixed",
    );
    // Nothing is granted beyond the table: 1 user + 4 ACL calls per service.
    expect(calls).toHaveLength(table.length * 5);
  });

  test("run again, an existing user gets its password from the env files again", () => {
    const { status, calls } = init({ ...passwords, RPK_USER_EXISTS: "1" });
    expect(status).toBe(0);
    expect(calls).toContain("security user update auth --new-password pw-auth --mechanism SCRAM-SHA-512");
  });

  test("a missing password stops it, naming the variable and granting nothing to that principal", () => {
    const { status, stderr, calls } = init({ AUTH_KAFKA_PASSWORD: "pw-auth", FRIENDSHIP_KAFKA_PASSWORD: "pw-friendship" });
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/PROFILE_KAFKA_PASSWORD is not set/);
    expect(calls.some((c) => c.includes("User:profile") || c.includes("create profile"))).toBe(false);
  });
});
