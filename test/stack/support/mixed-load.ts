// Mixed load through the gateway, as clients of a real deployment send it: profile reads, logins, refresh
// rotations, friend requests and registrations, the two writes with an Idempotency-Key and client retries
// (the same key, with back-off) when the answer was lost. Each worker has its own client address, so that
// Envoy's per-client rate limits see many clients. Every operation's outcome is recorded with the phase it
// started in.
import { randomUUID } from "node:crypto";
import { type Answer, PASSWORD, type RegisteredUser, type RestClient, restClient, uniqueName } from "./rest.ts";

export type Operation = "read" | "login" | "refresh" | "register" | "friend-request";

export interface Outcome {
  op: Operation;
  phase: string;
  ok: boolean;
  /** The final answer's status (0: no answer). */
  status: number;
  /** HTTP requests it took (client retries of the idempotent writes). */
  attempts: number;
  /** Attempts that got no answer or an error status (before a retry hid it). */
  failedAttempts: number;
  detail?: string;
}

export interface Registration {
  username: string;
  /** The user id, when an answer said 201. */
  id?: string;
  ok: boolean;
}

export interface FriendRequest {
  requester: string;
  addressee: string;
  /** The friendship id, when an answer said 201. */
  id?: string;
  ok: boolean;
}

export interface LoadOptions {
  users: RegisteredUser[];
  /** Client addresses 127.0.0.<first>... one per worker. */
  firstAddress: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reasonOf = (a: Answer): string | undefined => a.body?.details?.find((d: { reason?: string }) => typeof d.reason === "string")?.reason;

/** An answer worth the same request again with the same key: none at all, the gateway's 5xx, or the key still held. */
const retryable = (a: Answer) =>
  a.status === 0 || a.status === 502 || a.status === 503 || a.status === 504 || reasonOf(a) === "IDEMPOTENCY_KEY_IN_PROGRESS";

export function startMixedLoad(options: LoadOptions) {
  let phase = "warmup";
  let running = true;
  const outcomes: Outcome[] = [];
  const registrations: Registration[] = [];
  const friendRequests: FriendRequest[] = [];
  const clients: RestClient[] = [];
  let nextAddress = options.firstAddress;
  const client = () => {
    const c = restClient(`127.0.0.${nextAddress++}`);
    clients.push(c);
    return c;
  };
  const send = (call: Promise<Answer>): Promise<Answer> =>
    call.catch((err: unknown) => ({ status: 0, body: undefined, text: String(err) }));
  const record = (op: Operation, started: string, answer: Answer, okStatuses: number[], attempts = 1, failedAttempts?: number) => {
    const ok = okStatuses.includes(answer.status);
    outcomes.push({
      op,
      phase: started,
      ok,
      status: answer.status,
      attempts,
      failedAttempts: failedAttempts ?? (ok ? 0 : 1),
      detail: ok ? undefined : answer.text.slice(0, 200),
    });
  };

  /** The same request with the same Idempotency-Key until it is answered, for up to 45 s. */
  const withRetries = async (attempt: () => Promise<Answer>) => {
    const deadline = Date.now() + 45_000;
    let attempts = 0;
    let failed = 0;
    let backoff = 100;
    for (;;) {
      attempts += 1;
      const answer = await send(attempt());
      if (!retryable(answer) || Date.now() > deadline) return { answer, attempts, failed };
      failed += 1;
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 2000);
    }
  };

  /** Runs `body` every `everyMs` while the load runs. */
  const paced = async (everyMs: number, body: () => Promise<void>) => {
    await sleep(Math.random() * everyMs);
    while (running) {
      const started = Date.now();
      await body();
      await sleep(Math.max(0, everyMs - (Date.now() - started)));
    }
  };

  const users = options.users;
  const pick = () => users[Math.floor(Math.random() * users.length)] as RegisteredUser;

  const reader = (api: RestClient) => async () => {
    const at = phase;
    record("read", at, await send(api.get("/api/profiles/me/", pick().access)), [200]);
  };
  // A login whose answer was lost (its replica died with it in flight) is sent again once, as any client
  // would: a second session is harmless. The lost attempt still counts as a failed request.
  const loginer = (api: RestClient) => async () => {
    const at = phase;
    const body = { username: pick().username, password: PASSWORD };
    const first = await send(api.post("/api/auth/login/", body));
    if (!retryable(first)) return record("login", at, first, [200]);
    await sleep(200);
    const second = await send(api.post("/api/auth/login/", body));
    record("login", at, second, [200], 2, second.status === 200 ? 1 : 2);
  };
  const refresher = (api: RestClient, user: RegisteredUser) => {
    let refresh = user.refresh;
    return async () => {
      const at = phase;
      const answer = await send(api.post("/api/auth/refresh/", { refresh }));
      record("refresh", at, answer, [200]);
      if (answer.status === 200) refresh = answer.body.refresh;
      else {
        // The rotation may have happened without the answer: a spent token would now revoke the session.
        const login = await send(api.post("/api/auth/login/", { username: user.username, password: PASSWORD }));
        if (login.status === 200) refresh = login.body.refresh;
      }
    };
  };
  const registrar = (api: RestClient) => async () => {
    const at = phase;
    const username = uniqueName("roll");
    const key = randomUUID();
    const entry: Registration = { username, ok: false };
    registrations.push(entry);
    const body = { username, email: `${username.toLowerCase()}@example.com`, password: PASSWORD };
    const { answer, attempts, failed } = await withRetries(() =>
      api.post("/api/auth/register/", body, undefined, { "Idempotency-Key": key }),
    );
    entry.ok = answer.status === 201;
    if (entry.ok) entry.id = answer.body.user.id;
    record("register", at, answer, [201], attempts, entry.ok ? failed : failed + 1);
  };
  // Every ordered pair of users at most once, and never both directions (that would accept, not request).
  const pairs = users.flatMap((a, i) => users.slice(i + 1).map((b) => [a, b] as const));
  pairs.sort(() => Math.random() - 0.5);
  const friender = (api: RestClient) => async () => {
    const pair = pairs.pop();
    if (!pair) return;
    const at = phase;
    const [requester, addressee] = pair;
    const entry: FriendRequest = { requester: requester.id, addressee: addressee.id, ok: false };
    friendRequests.push(entry);
    const key = randomUUID();
    const { answer, attempts, failed } = await withRetries(() =>
      api.post("/api/friendships/request/", { addressee_id: addressee.id }, requester.access, { "Idempotency-Key": key }),
    );
    entry.ok = answer.status === 201;
    if (entry.ok) entry.id = answer.body.id;
    record("friend-request", at, answer, [201], attempts, entry.ok ? failed : failed + 1);
  };

  // About 50 requests a second in all (most of them reads, so that one lost request is 0.1 % of a phase):
  // within Envoy's per-client limits (60 a minute per AuthService route and client, 600 for the others) and
  // what two cores can hash (argon2 for every login and registration).
  const workers = [
    ...Array.from({ length: 8 }, () => paced(200, reader(client()))),
    ...Array.from({ length: 3 }, () => paced(1500, loginer(client()))),
    ...users.slice(0, 3).map((u) => paced(1500, refresher(client(), u))),
    ...Array.from({ length: 2 }, () => paced(1500, registrar(client()))),
    ...Array.from({ length: 2 }, () => paced(700, friender(client()))),
  ];

  return {
    outcomes,
    registrations,
    friendRequests,
    setPhase(next: string) {
      phase = next;
    },
    async stop() {
      running = false;
      await Promise.all(workers);
      for (const c of clients) c.close();
    },
  };
}
