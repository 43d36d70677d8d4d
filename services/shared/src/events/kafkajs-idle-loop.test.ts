import RequestQueue from "kafkajs/src/network/requestQueue/index.js";
import { stopKafkajsIdleLoop } from "./kafkajs-idle-loop.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A broker connection's request queue as kafkajs makes one, with the fields the check reads. */
function queue() {
  const q = new (
    RequestQueue as unknown as new (
      options: object,
    ) => RequestQueue & {
      pending: unknown[];
      throttledUntil: number;
      throttleCheckTimeoutId: NodeJS.Timeout | null;
    }
  )({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: "t", broker: "b", logger: silent });
  return q;
}

const cancel = (q: ReturnType<typeof queue>) => {
  if (q.throttleCheckTimeoutId) clearTimeout(q.throttleCheckTimeoutId);
};

beforeAll(() => stopKafkajsIdleLoop());

test("an idle request queue schedules no check (kafkajs alone loops every millisecond)", () => {
  const q = queue();
  q.scheduleCheckPendingRequests();
  expect(q.throttleCheckTimeoutId).toBeNull();
});

test("a queue with a request waiting for a slot still schedules its check", () => {
  const q = queue();
  q.pending.push({});
  q.scheduleCheckPendingRequests();
  expect(q.throttleCheckTimeoutId).not.toBeNull();
  cancel(q);
});

test("a throttled queue still schedules the check for the end of the throttle", () => {
  const q = queue();
  q.throttledUntil = Date.now() + 60_000;
  q.scheduleCheckPendingRequests();
  expect(q.throttleCheckTimeoutId).not.toBeNull();
  cancel(q);
});
