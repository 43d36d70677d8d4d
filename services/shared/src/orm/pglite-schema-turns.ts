// One PGlite holds the databases of all three services of `npm start`, each in a schema of its own: a
// PGlite costs about 100 MB of memory however little it stores, and three of them were most of the
// platform's footprint. PGlite has a single session, so `search_path` cannot differ per connection. Each
// schema is therefore given a view of the PGlite (what pglite-socket's server is built on) that takes turns
// on the session: before a schema's statement runs, the session's `search_path` is set to that schema if
// another schema had it last.
//
// A turn lasts until the session is back to idle, as the protocol itself says: the response ends with
// ReadyForQuery and status 'I'. So a transaction, or an extended-protocol sequence (Parse, Bind, Execute
// ... Sync), is never interleaved with another schema's statements. Within one schema, pglite-socket keeps
// the session for the connection that holds it as long as the view says it is "in a transaction", which is
// the same condition.
import type { PGlite } from "@electric-sql/pglite";

/** ReadyForQuery ('Z', length 5) with status Idle ('I'): the last six bytes of a response that ends a turn. */
const READY_FOR_QUERY_IDLE = Uint8Array.from([0x5a, 0, 0, 0, 5, 0x49]);
/** A startup message (its first byte is that of its length) and Terminate ('X') neither begin nor end a turn. */
const leavesTurnAsItWas = (message: Uint8Array) => message[0] === 0 || message[0] === 0x58;

/** The part of PGlite that pglite-socket's server uses. */
type SocketServedDatabase = Pick<PGlite, "waitReady" | "runExclusive" | "execProtocolRawStream" | "isInTransaction" | "exec">;

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Remembers the last bytes of a response, across the chunks it arrives in. */
export function responseTail() {
  const tail = new Uint8Array(READY_FOR_QUERY_IDLE.length);
  let filled = 0;
  return {
    push(chunk: Uint8Array) {
      if (chunk.length >= tail.length) {
        tail.set(chunk.subarray(chunk.length - tail.length));
        filled = tail.length;
        return;
      }
      const keep = Math.min(filled, tail.length - chunk.length);
      tail.copyWithin(0, filled - keep, filled);
      tail.set(chunk, keep);
      filled = keep + chunk.length;
    },
    endsIdle() {
      return filled === tail.length && tail.every((byte, i) => byte === READY_FOR_QUERY_IDLE[i]);
    },
  };
}

export interface SchemaTurns {
  /** A view of the database whose statements run with `search_path` set to `schema`. */
  viewFor(schema: string): PGlite;
}

export function schemaTurns(db: PGlite): SchemaTurns {
  /** The schema whose transaction or unfinished sequence holds the session, if any. */
  let holder: string | undefined;
  /** The schema the session's `search_path` is set to. */
  let searchPath: string | undefined;
  let busy = false;
  let waiting: Array<() => void> = [];

  const wakeAll = () => {
    const woken = waiting;
    waiting = [];
    for (const wake of woken) wake();
  };

  /** Runs `work` on the session as `schema`, once no other schema holds it. */
  async function turn<T>(schema: string, work: () => Promise<T>): Promise<T> {
    while (busy || (holder !== undefined && holder !== schema)) await new Promise<void>((wake) => waiting.push(wake));
    busy = true;
    try {
      if (searchPath !== schema) {
        await db.exec(`set search_path to ${quoteIdentifier(schema)}`);
        searchPath = schema;
      }
      return await work();
    } finally {
      busy = false;
      wakeAll();
    }
  }

  return {
    viewFor(schema) {
      const view: SocketServedDatabase = {
        waitReady: db.waitReady,
        runExclusive: (fn) => turn(schema, () => db.runExclusive(fn)),
        async execProtocolRawStream(message, options) {
          const tail = responseTail();
          try {
            await db.execProtocolRawStream(message, {
              ...options,
              onRawData(data) {
                tail.push(data);
                options.onRawData(data);
              },
            });
          } finally {
            if (!leavesTurnAsItWas(message)) holder = tail.endsIdle() ? undefined : schema;
          }
        },
        // pglite-socket asks this to keep the session for the connection that has it.
        isInTransaction: () => holder === schema,
        // pglite-socket rolls back with this when a connection that holds the session goes away.
        exec: (query, options) =>
          turn(schema, async () => {
            try {
              return await db.exec(query, options);
            } finally {
              holder = db.isInTransaction() ? schema : undefined;
            }
          }),
      };
      return view as PGlite;
    },
  };
}
