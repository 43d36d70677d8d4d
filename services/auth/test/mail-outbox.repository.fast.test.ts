// The mail outbox's statements on PGlite: the oldest due mail is claimed first, a leased one is not due, a
// failed attempt is counted and pushed back. (Replicas claiming at once, skip locked, need parallel
// transactions: the integration tier's mail-outbox test.)
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import {
  claimDueMail,
  deleteQueuedMail,
  insertQueuedMail,
  leaseQueuedMail,
  postponeQueuedMail,
} from "../src/persistence/mail-outbox.repository.ts";
import { type FastAuth, startFastAuth } from "./fast-auth.ts";

let auth: FastAuth;
beforeAll(async () => {
  auth = await startFastAuth();
});
afterAll(() => auth?.close());

test("claims oldest first; a leased one is not due; a failure is counted and pushed back", async () => {
  const em = auth.orm.em.fork();
  await insertQueuedMail(em, "verification_code", "first@example.com", { n: 1 });
  await insertQueuedMail(em, "verification_code", "second@example.com", { n: 2 });
  await auth.sql("update mail_outbox set next_attempt_at = now() - interval '1 minute' where recipient = 'first@example.com'");

  await auth.orm.em.fork().transactional(async (tx) => {
    const first = await claimDueMail(tx);
    expect(first).toMatchObject({ recipient: "first@example.com", data: { n: 1 }, attempts: 0, composed: null });
    await leaseQueuedMail(tx, first!.id, Buffer.from("sealed"), 120);
  });

  const next = await auth.orm.em.fork().transactional((tx) => claimDueMail(tx));
  expect(next?.recipient).toBe("second@example.com");
  expect(await postponeQueuedMail(em, next!.id, 600)).toBe(1);
  expect(await postponeQueuedMail(em, next!.id, 600)).toBe(2);
  expect(await auth.orm.em.fork().transactional((tx) => claimDueMail(tx))).toBeUndefined();

  await auth.sql("update mail_outbox set next_attempt_at = now() - interval '1 second'");
  const leased = await auth.orm.em.fork().transactional((tx) => claimDueMail(tx));
  expect(leased?.composed?.toString()).toBe("sealed");
  await deleteQueuedMail(em, leased!.id);
  await deleteQueuedMail(em, next!.id);
  expect(await auth.orm.em.fork().transactional((tx) => claimDueMail(tx))).toBeUndefined();
});
