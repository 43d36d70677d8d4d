// kafkajs 2.2.4 keeps every broker connection's request queue in an endless 1 ms timer loop: after each
// check for pending requests it schedules the next one at `throttledUntil - now`, which is negative when
// nothing is throttled (upstream issues #1556 and #1704, unreleased fixes #1667 and #1768). On a 2-core
// machine an idle service used 8.7 % of a core with the loop and 5.5 % without it (14 % of its busy time was
// in `checkPendingRequests`, per `node --cpu-prof`): CPU the request path then lacked. On Node >= 24 the loop
// is also what prints TimeoutNegativeWarning.
//
// The queue needs a timer only while requests wait: for the end of a client-side throttle, or for an
// in-flight slot (a finished request also checks the queue). With nothing pending and no throttle running,
// no check is scheduled; a request pushed later is sent at once or schedules its own check. Request
// timeouts have a timer of their own (scheduleRequestTimeoutCheck) and are unaffected.
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";

interface QueueState {
  pending: unknown[];
  throttledUntil: number;
}

let installed = false;

export function stopKafkajsIdleLoop(): void {
  if (installed) return;
  installed = true;
  const schedule = RequestQueue.prototype.scheduleCheckPendingRequests;
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: QueueState) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    schedule.call(this);
  };
}
