// Idempotency-Key on Register (the contract's policy option): the same key and request answers the first
// result again and registers nobody twice, also when the duplicates arrive at once; the same key with another
// request is refused; a failed request frees its key; without the header nothing changes.
import { Code } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import {
  IDEMPOTENCY_KEY_INVALID,
  IDEMPOTENCY_KEY_REUSED,
  IDEMPOTENT_REPLAYED_HEADER,
} from "@identity/shared/idempotency/idempotency-interceptor.ts";
import { dbExecute, failure, STRONG_PASSWORD, uniqueName, useAuth } from "./support.ts";

const harness = useAuth();

const request = (username: string, password = STRONG_PASSWORD) => ({ username, email: `${username}@example.com`, password });
const withKey = (key: string, onHeader?: (h: Headers) => void) => ({ headers: { "idempotency-key": key }, onHeader });
const usersNamed = async (username: string) =>
  ((await dbExecute(harness, "select count(*)::int as n from app_user where username = ?", [username])) as Array<{ n: number }>)[0]?.n;

test("the same key and request: the first answer again (201, same user, same tokens), one account", async () => {
  const username = uniqueName("idem");
  const key = crypto.randomUUID();
  const statuses: Array<string | null> = [];
  const replayed: Array<string | null> = [];
  const onHeader = (h: Headers) => {
    statuses.push(h.get("x-http-status"));
    replayed.push(h.get(IDEMPOTENT_REPLAYED_HEADER));
  };
  const first = await harness.client(AuthService).register(request(username), withKey(key, onHeader));
  const second = await harness.client(AuthService).register(request(username), withKey(key, onHeader));
  expect(second.user?.id).toBe(first.user?.id);
  expect(second.access).toBe(first.access);
  expect(statuses).toEqual(["201", "201"]);
  expect(replayed).toEqual([null, "true"]);
  expect(await usersNamed(username)).toBe(1);
  // Without the header, a repeat is a new attempt, refused as before.
  expect((await failure(harness.client(AuthService).register(request(username)))).code).toBe(Code.AlreadyExists);
});

test("eight identical requests at once: one runs, every one gets its answer, one account", async () => {
  const username = uniqueName("idemrace");
  const key = crypto.randomUUID();
  const answers = await Promise.all(Array.from({ length: 8 }, () => harness.client(AuthService).register(request(username), withKey(key))));
  expect(new Set(answers.map((a) => a.user?.id)).size).toBe(1);
  expect(await usersNamed(username)).toBe(1);
});

test("the same key with a different request: ABORTED (409) IDEMPOTENCY_KEY_REUSED, nothing done", async () => {
  const key = crypto.randomUUID();
  await harness.client(AuthService).register(request(uniqueName("idemfirst")), withKey(key));
  const other = uniqueName("idemother");
  const refused = await failure(harness.client(AuthService).register(request(other), withKey(key)));
  expect([refused.code, refused.reason]).toEqual([Code.Aborted, IDEMPOTENCY_KEY_REUSED]);
  expect(await usersNamed(other)).toBe(0);
});

test("a request that failed frees its key: the corrected retry with the same key runs", async () => {
  const key = crypto.randomUUID();
  const username = uniqueName("idemfix");
  const weak = await failure(harness.client(AuthService).register(request(username, "password"), withKey(key)));
  expect(weak.code).toBe(Code.InvalidArgument);
  const fixed = await harness.client(AuthService).register(request(username), withKey(key));
  expect(fixed.user?.username).toBe(username);
});

test("a malformed key is refused with the header named", async () => {
  const refused = await failure(harness.client(AuthService).register(request(uniqueName("idembad")), withKey("bad key with spaces")));
  expect([refused.code, refused.reason, refused.fields]).toEqual([Code.InvalidArgument, IDEMPOTENCY_KEY_INVALID, ["Idempotency-Key"]]);
});
