import { jest } from "@jest/globals";
import type { OutboxRelay } from "../events/outbox-relay.ts";
import { silentLogger } from "../logger.ts";
import { moduleLifecycle, periodically } from "./module-lifecycle.ts";

function recorder(log: string[], name: string) {
  return { start: () => void log.push(`start ${name}`), stop: () => void log.push(`stop ${name}`) };
}

test("the relay starts first and stops last; the other work starts in order and stops in reverse", async () => {
  const log: string[] = [];
  const relay = { ...recorder(log, "relay"), relayOnce: async () => 7, nudge() {} } as unknown as OutboxRelay;
  const lifecycle = moduleLifecycle({ ready: [], relay, work: [recorder(log, "consumer"), { start: () => void log.push("start sweep") }] });
  await lifecycle.start();
  await lifecycle.stop();
  expect(log).toEqual(["start relay", "start consumer", "start sweep", "stop consumer", "stop relay"]);
  expect(await lifecycle.flushOutbox?.()).toBe(7);
});

test("readiness fails with the first check that fails", async () => {
  const relay = { start() {}, stop: async () => {}, relayOnce: async () => 0, nudge() {} };
  const lifecycle = moduleLifecycle({
    ready: [async () => {}, async () => Promise.reject(new Error("bus down"))],
    relay,
  });
  await expect(lifecycle.checkReady()).rejects.toThrow("bus down");
});

test("a periodic job that fails is logged and runs again at the next tick; stop ends it", async () => {
  jest.useFakeTimers();
  try {
    const logger = silentLogger();
    const warn = jest.spyOn(logger, "warn");
    let runs = 0;
    const job = periodically(
      "sweep",
      1_000,
      async () => {
        runs += 1;
        throw new Error("database away");
      },
      logger,
    );
    job.start();
    await jest.advanceTimersByTimeAsync(2_500);
    expect(runs).toBe(2);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), "sweep failed");
    await job.stop?.();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(2);
  } finally {
    jest.useRealTimers();
  }
});
