// Whether an error means a dependency (the database) is unreachable or refusing connections for now, rather
// than a bug: such a request is answered 503 UNAVAILABLE with retry-after, which clients and the gateway's
// retry policy know to retry, instead of a 500 that says "the server is broken". A transaction that failed
// this way was rolled back by PostgreSQL, so nothing is half-written.

/** Socket-level failures of the driver (node-postgres reports them with these codes). */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * SQLSTATEs of a server that is going away or not accepting work: class 08 (connection exception),
 * 57P01-57P03 (admin/crash shutdown, cannot connect now), 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/** Messages node-postgres and its pool give when the connection is gone (they carry no code). */
const GONE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (shutting down|starting up)|terminating connection due to administrator command/i;

/** How long a client should wait before retrying, in seconds: a restart usually takes a few. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 2;

export function isDependencyDown(err: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; sqlState?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    for (const code of [e.code, e.sqlState]) {
      if (typeof code === "string" && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    }
    if (typeof e.message === "string" && GONE.test(e.message)) return true;
    // AggregateError (a connect attempt to several addresses) holds the socket errors in `errors`.
    if (Array.isArray(e.errors) && e.errors.some((inner) => isDependencyDown(inner))) return true;
    current = e.cause;
  }
  return false;
}
