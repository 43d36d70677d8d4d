import { routes } from "./contract.ts";
import { declaredAnswersOf } from "./declared-answers.ts";

const route = (verb: string, path: string) => {
  const found = routes.find((r) => r.rest?.verb === verb && r.rest.path === path);
  if (!found) throw new Error(`${verb} ${path} is not in the contract`);
  return found;
};

test("a friend request declares its own refusals, the access-token and idempotency reasons, and both successes", () => {
  const answers = declaredAnswersOf(route("POST", "/api/friendships/request/"));
  expect(answers.successStatuses).toEqual([201, 200]);
  for (const reason of [
    "CANNOT_BEFRIEND_SELF",
    "FRIEND_REQUEST_PENDING",
    "EMAIL_NOT_VERIFIED",
    "NOT_AUTHENTICATED",
    "IDEMPOTENCY_KEY_REUSED",
  ])
    expect(answers.reasons).toContain(reason);
  // Reasons of other RPCs and of other access levels are not among them.
  for (const reason of ["SESSION_NOT_FOUND", "SCOPE_NOT_GRANTED", "INVALID_PAGE_TOKEN"]) expect(answers.reasons).not.toContain(reason);
});

test("a public RPC without input answers only the gateways' own refusals", () => {
  const answers = declaredAnswersOf(route("GET", "/.well-known/jwks.json"));
  expect(answers.successStatuses).toEqual([200]);
  expect([...answers.reasons].sort()).toEqual(
    ["INVALID_REQUEST", "METHOD_NOT_ALLOWED", "RATE_LIMITED", "REQUEST_TOO_LARGE", "SERVICE_UNAVAILABLE"].sort(),
  );
});

test("an optional access token brings its refusals but not NOT_AUTHENTICATED; a service RPC, the credential reasons", () => {
  const resend = declaredAnswersOf(route("POST", "/api/auth/otp/resend/"));
  expect(resend.reasons).toContain("TOKEN_NOT_VALID");
  expect(resend.reasons).toContain("EMAIL_REQUIRED");
  expect(resend.reasons).not.toContain("NOT_AUTHENTICATED");
  const lookup = routes.find((r) => r.access === "service");
  expect(lookup && declaredAnswersOf(lookup).reasons).toContain("SCOPE_NOT_GRANTED");
});

test("every RPC declares each reason once, and other success statuses that are successes of their own", () => {
  for (const r of routes) {
    const answers = declaredAnswersOf(r);
    expect(new Set(answers.successStatuses).size).toBe(answers.successStatuses.length);
    for (const status of answers.successStatuses) expect([r.rpcPath, status >= 200 && status < 300]).toEqual([r.rpcPath, true]);
  }
});
