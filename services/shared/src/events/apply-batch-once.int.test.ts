// applyBatchOnce: a run of events in one transaction, each applied at most once (by ce_id, against earlier
// transactions and within the run), in order; all or nothing when an effect fails; poison refused up front.
import type { EntityManager } from "@mikro-orm/core";
import { newId } from "../ids.ts";
import { useTestOrm } from "../testing/test-orm.ts";
import { type EventMessage, PoisonMessageError } from "./event-bus.ts";
import { applyBatchOnce, applyOnce, type EventEffect } from "./event-consumer.ts";

const suite = useTestOrm("shared_batch");
beforeAll(async () => {
  await suite.orm.em
    .getConnection()
    .execute("create table effect_log (seq serial primary key, event_id uuid not null, note text not null)");
});

const event = (note: string, id = newId(), type = "noted"): EventMessage => ({
  topic: "t",
  key: "k",
  value: new TextEncoder().encode(note),
  headers: { ce_id: id, ce_type: type },
});
const log: EventEffect = async (em: EntityManager, message) => {
  await em
    .getConnection()
    .execute(
      "insert into effect_log (event_id, note) values (?, ?)",
      [message.headers.ce_id, new TextDecoder().decode(message.value)],
      "run",
      em.getTransactionContext(),
    );
};
const notes = async () =>
  ((await suite.orm.em.getConnection().execute("select note from effect_log order by seq")) as { note: string }[]).map((r) => r.note);
const processed = async (group: string) =>
  Number(
    (
      (await suite.orm.em.getConnection().execute("select count(*)::int as n from processed_event where consumer = ?", [group])) as {
        n: number;
      }[]
    )[0]?.n,
  );

beforeEach(async () => {
  await suite.orm.em.getConnection().execute("truncate effect_log");
});

test("a run is applied in order in one transaction; an event seen before, or twice in the run, has no second effect", async () => {
  const seen = event("seen before");
  expect(await applyOnce(suite.orm, "g1", { noted: log }, seen)).toBe(true);
  const twice = event("twice");
  const run = [event("a"), seen, twice, event("b"), twice, event("ignored type", newId(), "other")];
  const transactions = new Set<EntityManager>();
  const tracked: EventEffect = async (em, message) => {
    transactions.add(em);
    await log(em, message);
  };
  expect(await applyBatchOnce(suite.orm, "g1", { noted: tracked }, run)).toEqual([true, false, true, true, false, true]);
  expect(await notes()).toEqual(["seen before", "a", "twice", "b"]);
  expect(transactions.size).toBe(1);
  expect(await processed("g1")).toBe(5); // seen, a, twice, b, and the type without an effect
  // The same run again: nothing new.
  expect(await applyBatchOnce(suite.orm, "g1", { noted: log }, run)).toEqual([false, false, false, false, false, false]);
  expect(await notes()).toHaveLength(4);
  // Another group has its own ids.
  expect(await applyBatchOnce(suite.orm, "g2", { noted: log }, [seen])).toEqual([true]);
});

test("an effect failing in the run rolls the whole run back: no effect and no id is kept, so each can be retried alone", async () => {
  const run = [event("first"), event("cursed"), event("last")];
  const effect: EventEffect = async (em, message) => {
    if (new TextDecoder().decode(message.value) === "cursed") throw new Error("effect failed");
    await log(em, message);
  };
  await expect(applyBatchOnce(suite.orm, "g3", { noted: effect }, run)).rejects.toThrow("effect failed");
  expect(await notes()).toEqual([]);
  expect(await processed("g3")).toBe(0);
  expect(await applyOnce(suite.orm, "g3", { noted: effect }, run[0] as EventMessage)).toBe(true);
  expect(await notes()).toEqual(["first"]);
});

test("a run holding a message without a usable ce_id is refused before any write", async () => {
  const run = [event("fine"), { ...event("no id"), headers: { ce_type: "noted" } }];
  await expect(applyBatchOnce(suite.orm, "g4", { noted: log }, run)).rejects.toBeInstanceOf(PoisonMessageError);
  await expect(applyBatchOnce(suite.orm, "g4", { noted: log }, [event("fine"), event("bad id", "not-a-uuid")])).rejects.toBeInstanceOf(
    PoisonMessageError,
  );
  expect(await processed("g4")).toBe(0);
  expect(await notes()).toEqual([]);
});
