// The drain's bookkeeping: requests in flight are counted until their response closes, idle() waits for the
// last one (or gives up at its timeout), readiness fails once draining, and HTTP/1.1 answers given while
// draining ask the client to reconnect elsewhere.
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createDrain, drainAwareReadiness } from "./drain.ts";

function fakeExchange(httpVersionMajor = 1) {
  const req = { httpVersionMajor } as IncomingMessage;
  const headers: Record<string, string> = {};
  const res = Object.assign(new EventEmitter(), {
    headersSent: false,
    setHeader: (name: string, value: string) => {
      headers[name] = value;
    },
  }) as unknown as ServerResponse;
  return { req, res, headers, finish: () => (res as unknown as EventEmitter).emit("close") };
}

test("counts requests until their response closes; idle() resolves when the last one ends", async () => {
  const drain = createDrain();
  const handler = drain.track(() => {});
  const [a, b] = [fakeExchange(), fakeExchange()];
  handler(a.req, a.res);
  handler(b.req, b.res);
  expect(drain.inFlight).toBe(2);
  let idle: boolean | undefined;
  const waiting = drain.idle(5000).then((v) => {
    idle = v;
  });
  a.finish();
  await Promise.resolve();
  expect([drain.inFlight, idle]).toEqual([1, undefined]);
  b.finish();
  await waiting;
  expect([drain.inFlight, idle]).toEqual([0, true]);
});

test("idle() gives up after its timeout while a request is still running", async () => {
  const drain = createDrain();
  const x = fakeExchange();
  drain.track(() => {})(x.req, x.res);
  expect(await drain.idle(20)).toBe(false);
  expect(await createDrain().idle(0)).toBe(true);
});

test("once draining: readiness fails whatever the dependencies say, and HTTP/1.1 answers carry Connection: close", async () => {
  const drain = createDrain();
  const ready = drainAwareReadiness(drain, async () => {});
  await expect(ready()).resolves.toBeUndefined();
  const before = fakeExchange();
  drain.track(() => {})(before.req, before.res);
  expect(before.headers.connection).toBeUndefined();

  drain.begin();
  await expect(ready()).rejects.toThrow(/draining/);
  const h1 = fakeExchange(1);
  const h2 = fakeExchange(2);
  drain.track(() => {})(h1.req, h1.res);
  drain.track(() => {})(h2.req, h2.res);
  expect([h1.headers.connection, h2.headers.connection]).toEqual(["close", undefined]);
});
