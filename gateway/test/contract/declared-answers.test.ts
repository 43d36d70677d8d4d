import { undeclaredAnswer } from "./declared-answers.ts";

const refusal = (reason: string) => ({
  code: 6,
  message: "…",
  details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain: "identity-platform" }],
});

test("a refusal whose reason the RPC declares, or its policy implies, passes", () => {
  expect(undeclaredAnswer("POST", "/api/auth/register/", 409, refusal("USERNAME_TAKEN"))).toBeUndefined();
  expect(undeclaredAnswer("POST", "/api/auth/register/", 409, refusal("IDEMPOTENCY_KEY_REUSED"))).toBeUndefined();
  expect(undeclaredAnswer("get", "/api/profiles/me/", 401, refusal("TOKEN_NOT_VALID"))).toBeUndefined();
  expect(undeclaredAnswer("GET", "/api/users/?page_token=x", 400, refusal("INVALID_PAGE_TOKEN"))).toBeUndefined();
});

test("a reason the RPC does not declare is named, with the RPC", () => {
  expect(undeclaredAnswer("POST", "/api/auth/register/", 404, refusal("SESSION_NOT_FOUND"))).toBe(
    "POST /api/auth/register/ answered 404 SESSION_NOT_FOUND, which /identity.auth.v1.AuthService/Register does not declare (identity.api.v1.policy errors)",
  );
  // Path parameters match any segment; the declared reasons are the route's own.
  const id = "0190c1e2-7b3a-7000-8000-000000000000";
  expect(undeclaredAnswer("POST", `/api/friendships/respond/${id}/`, 403, refusal("EMAIL_NOT_VERIFIED"))).toMatch(
    /RespondToFriendRequest does not declare/,
  );
  expect(undeclaredAnswer("POST", `/api/friendships/respond/${id}/`, 403, refusal("NOT_ADDRESSEE"))).toBeUndefined();
});

test("a success status must be one of the policy's", () => {
  expect(undeclaredAnswer("POST", "/api/friendships/request/", 201, {})).toBeUndefined();
  expect(undeclaredAnswer("POST", "/api/friendships/request/", 200, {})).toBeUndefined();
  expect(undeclaredAnswer("POST", "/api/auth/register/", 200, {})).toMatch(/answered 200; .*Register declares 201/);
});

test("paths and methods outside the contract, and answers without a reason, are not checked here", () => {
  expect(undeclaredAnswer("GET", "/openapi.json", 200, {})).toBeUndefined();
  expect(undeclaredAnswer("PUT", "/api/auth/register/", 405, refusal("METHOD_NOT_ALLOWED"))).toBeUndefined();
  expect(undeclaredAnswer("POST", "/api/auth/register/", 500, { code: 13, message: "internal error", details: [] })).toBeUndefined();
});
