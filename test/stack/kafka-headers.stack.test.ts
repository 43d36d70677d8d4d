// The friendship.accepted event as an independent Kafka client sees it: the friend flow runs through the
// gateway's REST paths (two users, both verified by their mailed code, a request, an accept), then Debian's
// kcat reads social.friendships.v1 from the beginning and the message for that friendship must carry the
// CloudEvents headers, the friendship id as key, and the event in protobuf binary.
import { jest } from "@jest/globals";
import { headersOf, readTopicWithKcat } from "./support/kcat.ts";
import { type RegisteredUser, register, restClient, verifyAndLogin } from "./support/rest.ts";
import { eventually, requireStack } from "./support/stack.ts";

jest.setTimeout(90_000);

const TOPIC = "social.friendships.v1";
const api = restClient("127.0.0.13");
beforeAll(() => requireStack());
afterAll(() => api.close());

test("friendship.accepted for a friendship made through the gateway: key, CloudEvents headers and payload, read by kcat", async () => {
  let requester: RegisteredUser = await register(api, "kreq");
  let addressee: RegisteredUser = await register(api, "kadd");
  requester = await verifyAndLogin(api, requester);
  addressee = await verifyAndLogin(api, addressee);

  // The friendship service learns of new users from user.registered: until then the addressee is unknown (404).
  const requested = await eventually("the friend request accepted by the gateway (201)", async () => {
    const answer = await api.post("/api/friendships/request/", { addressee_id: addressee.id }, requester.access);
    if (answer.status === 404) return undefined;
    if (answer.status !== 201) throw new Error(`friend request: ${answer.status} ${answer.text}`);
    return answer;
  });
  expect(requested.body).toMatchObject({ status: "requested", requester: { id: requester.id }, addressee: { id: addressee.id } });
  const friendshipId: string = requested.body.id;
  const accepted = await api.post(`/api/friendships/respond/${friendshipId}/`, { action: "accept" }, addressee.access);
  expect(accepted.status).toBe(200);
  expect(accepted.body).toMatchObject({ id: friendshipId, status: "accepted" });

  const message = await eventually(
    `kcat sees friendship.accepted for ${friendshipId} on ${TOPIC}`,
    async () => (await readTopicWithKcat(TOPIC)).find((m) => m.key === friendshipId && headersOf(m).ce_type === "friendship.accepted"),
    30_000,
  );
  const headers = headersOf(message);
  expect(message.topic).toBe(TOPIC);
  expect(message.key).toBe(friendshipId);
  expect(headers).toMatchObject({
    ce_specversion: "1.0",
    ce_type: "friendship.accepted",
    ce_source: "identity/friendship",
    "content-type": "application/protobuf",
  });
  expect(headers.ce_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const occurred = Date.parse(headers.ce_time ?? "");
  expect(headers.ce_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  expect(Math.abs(Date.now() - occurred)).toBeLessThan(5 * 60_000);

  // The payload is FriendshipAccepted in protobuf binary. kcat -J prints it as text, so only its string fields
  // are exact: 1 friendship_id, 2 requester_id, 3 addressee_id, 4 actor_id (who accepted), each a 36-byte UUID.
  const stringField = (tag: number, value: string) => String.fromCharCode((tag << 3) | 2, value.length) + value;
  const expectedStart =
    stringField(1, friendshipId) + stringField(2, requester.id) + stringField(3, addressee.id) + stringField(4, addressee.id);
  expect(message.payload?.slice(0, expectedStart.length)).toBe(expectedStart);

  // Exactly one accepted event for this friendship, however many relays run.
  const all = (await readTopicWithKcat(TOPIC)).filter((m) => m.key === friendshipId && headersOf(m).ce_type === "friendship.accepted");
  expect(all.map((m) => headersOf(m).ce_id)).toEqual([headers.ce_id]);
});
