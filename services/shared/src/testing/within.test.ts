import { within } from "./within.ts";

test("retries until the check passes and answers how long it took", async () => {
  let calls = 0;
  const took = await within(1000, async () => {
    calls += 1;
    if (calls < 3) throw new Error("not yet");
  });
  expect(calls).toBe(3);
  expect(took).toBeGreaterThanOrEqual(40);
});

test("throws the check's last error once the time is up", async () => {
  await expect(
    within(60, async () => {
      throw new Error("never");
    }),
  ).rejects.toThrow("never");
});
