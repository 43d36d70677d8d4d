import { expect, test } from "@jest/globals";
import { createRelayWakeup } from "./relay-wakeup.ts";

const elapsed = async (f: () => Promise<void>) => {
  const start = performance.now();
  await f();
  return performance.now() - start;
};

test("a wake-up ends the current sleep", async () => {
  const wakeup = createRelayWakeup(() => true);
  setTimeout(() => wakeup.wake(), 20);
  expect(await elapsed(() => wakeup.sleep(5_000))).toBeLessThan(1_000);
});

test("a wake-up during a round is remembered until the next round begins", async () => {
  const wakeup = createRelayWakeup(() => true);
  wakeup.wake();
  expect(await elapsed(() => wakeup.sleep(5_000))).toBeLessThan(100);
  wakeup.begin();
  expect(await elapsed(() => wakeup.sleep(50))).toBeGreaterThanOrEqual(45);
});

test("interrupt ends a sleep without leaving work behind; a stopped relay does not sleep", async () => {
  let running = true;
  const wakeup = createRelayWakeup(() => running);
  setTimeout(() => wakeup.interrupt(), 20);
  expect(await elapsed(() => wakeup.sleep(5_000))).toBeLessThan(1_000);
  expect(await elapsed(() => wakeup.sleep(50))).toBeGreaterThanOrEqual(45);
  running = false;
  expect(await elapsed(() => wakeup.sleep(5_000))).toBeLessThan(100);
});
