// One conformance suite for every event bus: the same cases run against the in-process bus (unit tier,
// memory-bus.conformance.test.ts) and against Kafka (integration tier,
// services/shared/test/events/kafka-bus.conformance.int.test.ts), so the embedded mode cannot drift from
// production. Each case uses topics and groups of its own (a broker is shared with other suites).
import { randomBytes } from "node:crypto";
import { create, equals, fromBinary, ScalarType, toBinary } from "@bufbuild/protobuf";
import { eventCatalogue, eventOfType } from "@identity/proto/event-catalogue";
import { newId } from "../ids.ts";
import { toEventMessage } from "./cloud-events.ts";
import { type EventBus, type EventMessage, PoisonMessageError, type SubscribeOptions, TransientEventError } from "./event-bus.ts";

export interface BusConformanceTarget {
  /** A started bus with `conformanceRetry`; the suite stops it after each case. */
  open(): Promise<EventBus>;
  /** Longest wait for the messages a case expects. */
  timeoutMs: number;
}

/** The retry policy a bus under test is created with: failing handlers retried at once, so cases take no time. */
export const conformanceRetry = { baseDelayMs: 1, maxDelayMs: 2 };

export function describeBusConformance(label: string, target: BusConformanceTarget): void {
  describe(`event bus conformance: ${label}`, () => {
    const opened: EventBus[] = [];
    let run = "";
    beforeEach(() => {
      run = randomBytes(4).toString("hex");
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((bus) => bus.stop()));
    });
    const open = async () => {
      const bus = await target.open();
      opened.push(bus);
      return bus;
    };
    /** A topic (or group) name of this case's own. */
    const name = (what: string) => `conformance.${what}.${run}`;
    const until = async (what: string, condition: () => boolean) => {
      const deadline = Date.now() + target.timeoutMs;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const message = (topic: string, id: string, key = "k"): EventMessage => ({
      topic,
      key,
      value: new Uint8Array([1]),
      headers: { ce_id: id, ce_type: "x" },
    });
    const idOf = (m: EventMessage) => m.headers.ce_id as string;
    /** Subscribes the case's group to its topic with a handler that sees each message's id. */
    const subscribeIds = (bus: EventBus, topic: string, handle: (id: string) => void, options?: SubscribeOptions) =>
      bus.subscribe(name("g"), [topic], async (m) => handle(idOf(m)), options);
    /** What reaches the topic's dead letters, read through the bus itself by a group of its own. */
    const deadLettersOf = async (bus: EventBus, topic: string) => {
      const dlq: EventMessage[] = [];
      await bus.subscribe(name("dlq-reader"), [`${topic}.dlq`], async (m) => void dlq.push(m));
      return dlq;
    };

    test("every event of the catalogue arrives with its key, its value and its CloudEvents headers, in order per key", async () => {
      const bus = await open();
      const topicOf = (catalogueTopic: string) => name(catalogueTopic.replaceAll(".", "-"));
      const published = eventCatalogue.flatMap((event, i) =>
        [0, 1].map((n) => {
          // Every string field filled, so the value and the key (the catalogue's key field) are not empty.
          const init = Object.fromEntries(
            event.schema.fields
              .filter((f) => f.fieldKind === "scalar" && f.scalar === ScalarType.STRING)
              .map((f) => [f.localName, `${f.name}-${i % 2}`]),
          );
          const value = create(event.schema, init);
          const row = { id: newId(), topic: topicOf(event.topic), key: event.keyOf(value), type: event.type };
          return toEventMessage(
            { ...row, payload: toBinary(event.schema, value), occurredAt: new Date(1_700_000_000_000 + n) },
            "identity/test",
          );
        }),
      );
      const received: EventMessage[] = [];
      const topics = [...new Set(published.map((m) => m.topic))];
      await bus.subscribe(name("catalogue"), topics, async (m) => void received.push(m));
      await bus.publish(published);
      await until(`${published.length} catalogue events`, () => received.length >= published.length);

      for (const m of received) {
        const event = eventOfType(m.headers.ce_type as string);
        expect(event).toBeDefined();
        const decoded = fromBinary(event!.schema, m.value);
        const sent = published.find((p) => p.headers.ce_id === m.headers.ce_id) as EventMessage;
        expect(equals(event!.schema, decoded, fromBinary(event!.schema, sent.value))).toBe(true);
        expect([m.topic, m.key, event!.keyOf(decoded)]).toEqual([sent.topic, sent.key, sent.key]);
        expect(m.headers).toEqual(sent.headers);
      }
      const byKey = (ms: EventMessage[]) => {
        const keys = new Map<string, string[]>();
        for (const m of ms) keys.set(`${m.topic}/${m.key}`, [...(keys.get(`${m.topic}/${m.key}`) ?? []), idOf(m)]);
        return Object.fromEntries(keys);
      };
      expect(byKey(received)).toEqual(byKey(published));
    });

    test("a poison message and one that keeps failing go to <topic>.dlq with the reason; the messages behind them are processed in order", async () => {
      const bus = await open();
      const topic = name("dlq");
      const handled: string[] = [];
      const attempts = new Map<string, number>();
      const dlq = await deadLettersOf(bus, topic);
      await subscribeIds(
        bus,
        topic,
        (id) => {
          attempts.set(id, (attempts.get(id) ?? 0) + 1);
          if (id === "poison") throw new PoisonMessageError("cannot decode");
          if (id === "cursed") throw new Error("always fails");
          if (id === "flaky" && attempts.get(id)! < 3) throw new Error("fails twice");
          handled.push(id);
        },
        { maxAttempts: 4 },
      );
      await bus.publish(["1", "poison", "cursed", "flaky", "2"].map((id) => message(topic, id)));
      await until("3 handled and 2 dead letters", () => handled.length === 3 && dlq.length === 2);
      expect(handled).toEqual(["1", "flaky", "2"]);
      expect(attempts.get("poison")).toBe(1);
      expect(attempts.get("cursed")).toBe(4);
      expect(dlq.map((m) => [m.headers.ce_id, m.headers.dlq_original_topic, m.headers.dlq_original_offset, m.headers.dlq_error])).toEqual([
        ["poison", topic, "1", "PoisonMessageError: cannot decode"],
        ["cursed", topic, "2", "Error: always fails"],
      ]);
      expect(dlq.map((m) => [m.key, m.headers.ce_type, m.headers.dlq_consumer_group])).toEqual([
        ["k", "x", name("g")],
        ["k", "x", name("g")],
      ]);
    });

    test("a transient failure is retried past maxAttempts and never dead-lettered; a group that subscribes later reads from the start", async () => {
      const bus = await open();
      const topic = name("transient");
      await bus.publish([message(topic, "early")]);
      const dlq = await deadLettersOf(bus, topic);
      let failures = 0;
      const handled: string[] = [];
      await subscribeIds(
        bus,
        topic,
        (id) => {
          if (failures < 10) {
            failures += 1;
            throw new TransientEventError("database down");
          }
          handled.push(id);
        },
        { maxAttempts: 2 },
      );
      await until("the early message", () => handled.length === 1);
      expect(handled).toEqual(["early"]);
      expect(failures).toBe(10);
      expect(dlq).toHaveLength(0);
    });

    test("with a batch handler the waiting messages go in runs; a failing run is redelivered one at a time, its poison dead-lettered, in order", async () => {
      const bus = await open();
      const topic = name("batches");
      const runs: string[][] = [];
      const single: string[] = [];
      const handled: string[] = [];
      // Published before subscribing, so the first delivery finds all of them waiting.
      await bus.publish(["1", "2", "poison", "3", "4", "5", "6"].map((id) => message(topic, id)));
      const dlq = await deadLettersOf(bus, topic);
      await subscribeIds(
        bus,
        topic,
        (id) => {
          single.push(id);
          if (id === "poison") throw new PoisonMessageError("cannot decode");
          handled.push(id);
        },
        {
          maxBatchSize: 4,
          batchHandler: async (ms) => {
            const ids = ms.map(idOf);
            runs.push(ids);
            if (ids.includes("poison")) throw new Error("the run holds a poison message");
            handled.push(...ids);
          },
        },
      );
      await until("6 handled and 1 dead letter", () => handled.length === 6 && dlq.length === 1);
      expect(handled).toEqual(["1", "2", "3", "4", "5", "6"]);
      expect(runs).toEqual([
        ["1", "2", "poison", "3"],
        ["4", "5", "6"],
      ]);
      expect(single).toEqual(["1", "2", "poison", "3"]);
      expect(dlq.map(idOf)).toEqual(["poison"]);
    });
  });
}
