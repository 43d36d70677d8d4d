// A schema's turn on the shared PGlite session ends when a response ends with ReadyForQuery (Idle), however
// the response is cut into chunks.
import { responseTail } from "./pglite-schema-turns.ts";

const idle = [0x5a, 0, 0, 0, 5, 0x49];
const inTransaction = [0x5a, 0, 0, 0, 5, 0x54];
const commandComplete = [0x43, 0, 0, 0, 11, ...Buffer.from("COMMIT\0")];

function endsIdle(...chunks: number[][]): boolean {
  const tail = responseTail();
  for (const chunk of chunks) tail.push(Uint8Array.from(chunk));
  return tail.endsIdle();
}

test("a response ending with ReadyForQuery 'I' ends the turn, in one chunk or cut anywhere", () => {
  const whole = [...commandComplete, ...idle];
  expect(endsIdle(whole)).toBe(true);
  for (let cut = 1; cut < whole.length; cut++) expect(endsIdle(whole.slice(0, cut), whole.slice(cut))).toBe(true);
  expect(endsIdle(...whole.map((byte) => [byte]))).toBe(true);
  expect(endsIdle(whole, [])).toBe(true);
});

test("a transaction still open, an unfinished sequence or no answer at all keep the turn", () => {
  expect(endsIdle([...commandComplete, ...inTransaction])).toBe(false);
  expect(endsIdle([0x31, 0, 0, 0, 4])).toBe(false); // ParseComplete: Bind, Execute and Sync are still to come
  expect(endsIdle()).toBe(false);
  expect(endsIdle(idle.slice(1))).toBe(false);
  expect(endsIdle(idle, commandComplete)).toBe(false);
});
