// How a relay waits for work: it sleeps for its poll interval, unless the commit that queued work wakes it
// first. A wake-up that comes while the relay is busy is remembered, so the next sleep returns at once: a row
// committed during a round is never left waiting a whole interval.

export interface RelayWakeup {
  /** Sleeps `ms`, or less when woken; returns at once when a wake-up is pending or the relay has stopped. */
  sleep(ms: number): Promise<void>;
  /** New work was committed: end the current sleep, or the next one. */
  wake(): void;
  /** Ends the current sleep without remembering work (the relay is stopping). */
  interrupt(): void;
  /** The relay is looking for work now: wake-ups before this are answered. */
  begin(): void;
}

export function createRelayWakeup(isRunning: () => boolean): RelayWakeup {
  let pending = false;
  let endSleep: (() => void) | undefined;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        if (pending || !isRunning()) return resolve();
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          endSleep = undefined;
          resolve();
        }
        endSleep = done;
      }),
    wake() {
      pending = true;
      endSleep?.();
    },
    interrupt: () => endSleep?.(),
    begin() {
      pending = false;
    },
  };
}
