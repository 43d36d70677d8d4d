// The two systems under test and the users each needs, created through their own REST APIs: the original
// DRF service (integer ids, `{"addressee": id}`, respond by request id) and the platform behind Envoy
// (email verified by the mailed code first, `{"addressee_id": id}`; asking back accepts a pending request).
import { latestCode, PASSWORD, type RegisteredUser, type RestClient, register, restClient } from "../../test/stack/support/rest.ts";

export type SideName = "drf" | "stack";

export interface Side {
  name: SideName;
  url: string;
  api: RestClient;
  /** The user whose profile and friendships are read. */
  reader: RegisteredUser;
  /** A fresh access token of `reader` (tokens live 5 minutes on both sides: one per phase). */
  freshAccess(): Promise<string>;
  /** `count` refresh tokens of `reader`, each from its own login (its own session on the platform). */
  refreshTokens(count: number): Promise<string[]>;
}

function expect(what: string, answer: { status: number; text: string }, ...statuses: number[]): void {
  if (!statuses.includes(answer.status))
    throw new Error(`${what}: expected ${statuses.join(" or ")}, got ${answer.status} ${answer.text.slice(0, 300)}`);
}

async function login(api: RestClient, user: RegisteredUser): Promise<{ access: string; refresh: string }> {
  const answer = await api.post("/api/auth/login/", { username: user.username, password: PASSWORD });
  expect("login", answer, 200);
  return answer.body;
}

async function inBatches<T>(count: number, batch: number, make: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  while (out.length < count) out.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - out.length) }, make))));
  return out;
}

/** The mailed code: mail is sent after the answer (an outbox), so it may take a moment to arrive. */
async function mailedCode(api: RestClient, email: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await latestCode(api, email);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Verifies the email with the mailed code (with the user's own access token), then logs in again. */
async function verified(api: RestClient, user: RegisteredUser): Promise<RegisteredUser> {
  const code = await mailedCode(api, user.email);
  expect("verify", await api.post("/api/auth/otp/verify/", { email: user.email, code }, user.access), 200);
  return { ...user, ...(await login(api, user)) };
}

/** Friend requests wait for the friendship service to learn of the new users from their events. */
async function requestFriend(api: RestClient, from: RegisteredUser, to: RegisteredUser): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await api.post("/api/friendships/request/", { addressee_id: to.id }, from.access);
    if (answer.status !== 404 || Date.now() > deadline)
      return expect(`friend request ${from.username} -> ${to.username}`, answer, 200, 201);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function side(name: SideName, url: string, api: RestClient, reader: RegisteredUser): Side {
  return {
    name,
    url,
    api,
    reader,
    freshAccess: async () => (await login(api, reader)).access,
    refreshTokens: (count) => inBatches(count, 8, async () => (await login(api, reader)).refresh),
  };
}

/** The reader has `friends` accepted friendships, half asked by the reader and half by the friend. */
export async function stackSide(url: string, sourceAddress: string, friends: number): Promise<Side> {
  const api = restClient(sourceAddress, url);
  const users = await inBatches(friends + 1, 4, async () => verified(api, await register(api, "vsdrf")));
  const [reader, ...others] = users as [RegisteredUser, ...RegisteredUser[]];
  for (const [i, other] of others.entries()) {
    const [asker, asked] = i % 2 === 0 ? [reader, other] : [other, reader];
    await requestFriend(api, asker, asked);
    await requestFriend(api, asked, asker);
  }
  const list = await api.get("/api/friendships/", reader.access);
  expect("friendship list", list, 200);
  if (list.body.friendships?.length !== friends)
    throw new Error(`the platform lists ${list.body.friendships?.length} friendships, expected ${friends}`);
  return side("stack", url, api, reader);
}

export async function drfSide(url: string, friends: number): Promise<Side> {
  const api = restClient("127.0.0.1", url);
  const users = await inBatches(friends + 1, 4, () => register(api, "vsdrf"));
  const [reader, ...others] = users as [RegisteredUser, ...RegisteredUser[]];
  for (const [i, other] of others.entries()) {
    const [asker, asked] = i % 2 === 0 ? [reader, other] : [other, reader];
    const sent = await api.post("/api/friendships/request/", { addressee: Number(asked.id) }, asker.access);
    expect("friend request", sent, 201);
    expect("respond", await api.post(`/api/friendships/respond/${sent.body.id}/`, { action: "accept" }, asked.access), 200);
  }
  const list = await api.get("/api/friendships/", reader.access);
  expect("friendship list", list, 200);
  if (list.body.length !== friends) throw new Error(`the original lists ${list.body.length} friendships, expected ${friends}`);
  return side("drf", url, api, reader);
}
