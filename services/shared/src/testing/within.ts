// For tests of what becomes true a little later (a mail sent by the outbox, a revocation reaching a gateway).

/** Retries `check` until it stops throwing, at most `timeoutMs`; answers how many milliseconds it took. */
export async function within(timeoutMs: number, check: () => Promise<void>): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await check();
      return Date.now() - started;
    } catch (err) {
      if (Date.now() - started > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
