import { rowsInKeyOrder } from "./outbox-relay.ts";

const row = (key: string, ms: number, id: string) => ({ key, occurred_at: new Date(ms), id });

test("a claimed row waits for an older unpublished row of its key held elsewhere; older claimed rows and other keys go", () => {
  const claimed = [row("a", 1, "01"), row("b", 2, "02"), row("a", 5, "05"), row("c", 6, "06")];
  const elsewhere = new Map([
    ["a", row("a", 3, "03")], // another replica holds a@3: a@1 may go, a@5 must wait
    ["c", row("c", 9, "09")], // younger than the claim (cut by the batch limit): no effect
  ]);
  expect(rowsInKeyOrder(claimed, elsewhere).map((r) => r.id)).toEqual(["01", "02", "06"]);
});

test("equal times are ordered by id, as the claim orders them", () => {
  const claimed = [row("a", 1, "01a"), row("a", 1, "01c")];
  expect(rowsInKeyOrder(claimed, new Map([["a", row("a", 1, "01b")]])).map((r) => r.id)).toEqual(["01a"]);
  expect(rowsInKeyOrder(claimed, new Map())).toHaveLength(2);
});
