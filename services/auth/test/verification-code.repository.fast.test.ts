// The mailed codes' statements on PGlite: a new code only after the interval, wrong tries counted up to the
// limit against the very code, and a code used up once.

import { newId } from "@identity/shared/ids.ts";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { insertUser } from "../src/persistence/user.repository.ts";
import { consumeCode, countWrongTry, findCode, replaceCode } from "../src/persistence/verification-code.repository.ts";
import { type FastAuth, startFastAuth } from "./fast-auth.ts";

let auth: FastAuth;
beforeAll(async () => {
  auth = await startFastAuth();
});
afterAll(() => auth?.close());

const hash = (n: number) => Buffer.alloc(32, n);

let counter = 0;
async function account(): Promise<string> {
  const id = newId();
  counter += 1;
  const username = `fast_code_${counter}`;
  await insertUser(auth.orm.em.fork(), {
    id,
    username,
    email: `${username}@example.com`,
    passwordHash: "x",
    firstName: "",
    lastName: "",
    dateJoined: new Date(),
  });
  return id;
}

test("a new code replaces the live one only after the interval", async () => {
  const userId = await account();
  const em = auth.orm.em.fork();
  const code = (n: number) => ({ userId, email: "a@example.com", codeHash: hash(n), ttlSeconds: 600 });
  expect(await replaceCode(em, code(1), 60)).toBe(true);
  expect(await replaceCode(em, code(2), 60)).toBe(false);
  expect((await findCode(em, userId))?.codeHash).toEqual(hash(1));
  await auth.sql("update email_verification_code set sent_at = now() - interval '61 seconds' where user_id = ?", [userId]);
  expect(await replaceCode(em, code(3), 60)).toBe(true);
  expect(await findCode(em, userId)).toMatchObject({ codeHash: hash(3), attempts: 0 });
});

test("wrong tries count up to the limit against this very code; then even the right code is refused", async () => {
  const userId = await account();
  const em = auth.orm.em.fork();
  await replaceCode(em, { userId, email: "a@example.com", codeHash: hash(4), ttlSeconds: 600 }, 0);
  expect(await countWrongTry(em, userId, hash(9), 3)).toBe(false); // another code: nothing counted
  const tries = await Promise.all(Array.from({ length: 5 }, () => countWrongTry(em, userId, hash(4), 3)));
  expect(tries.filter(Boolean)).toHaveLength(3);
  expect((await findCode(em, userId))?.attempts).toBe(3);
  expect(await consumeCode(em, userId, hash(4), 3)).toBe(false);
});

test("a code is used up once, and not after it expired", async () => {
  const userId = await account();
  const em = auth.orm.em.fork();
  await replaceCode(em, { userId, email: "a@example.com", codeHash: hash(5), ttlSeconds: 600 }, 0);
  expect(await consumeCode(em, userId, hash(5), 3)).toBe(true);
  expect(await consumeCode(em, userId, hash(5), 3)).toBe(false);
  await replaceCode(em, { userId, email: "a@example.com", codeHash: hash(6), ttlSeconds: 600 }, 0);
  await auth.sql("update email_verification_code set expires_at = now() - interval '1 second' where user_id = ?", [userId]);
  expect(await consumeCode(em, userId, hash(6), 3)).toBe(false);
});
