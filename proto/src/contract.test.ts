import { routes } from "./contract.ts";

test("every RPC has an access policy and every REST path keeps its trailing slash", () => {
  expect(routes.length).toBeGreaterThan(15);
  for (const r of routes) {
    expect(["public", "user", "user_optional", "service", "dev"]).toContain(r.access);
    if (r.rest?.path.startsWith("/api/")) expect(r.rest.path.endsWith("/")).toBe(true);
  }
});

test("the spec's REST table, exactly", () => {
  const table = routes
    .filter((r) => r.rest)
    .map((r) => `${r.rest?.verb} ${r.rest?.path} ${r.successStatus} ${r.access}`)
    .sort();
  expect(table).toEqual(
    [
      "POST /api/auth/register/ 201 public",
      "POST /api/auth/otp/verify/ 200 user",
      "POST /api/auth/otp/resend/ 202 user_optional",
      "POST /api/auth/login/ 200 public",
      "POST /api/auth/refresh/ 200 public",
      "POST /api/auth/logout/ 200 public",
      "GET /.well-known/jwks.json 200 public",
      "GET /api/profiles/me/ 200 user",
      "PUT /api/profiles/me/ 200 user",
      "PATCH /api/profiles/me/ 200 user",
      "GET /api/users/ 200 user",
      "POST /api/friendships/request/ 201 user",
      "GET /api/friendships/ 200 user",
      "GET /api/friendships/received/ 200 user",
      "POST /api/friendships/respond/{id}/ 200 user",
      "DELETE /api/friendships/{id}/ 200 user",
      "GET /api/dev/mail/ 200 dev",
      "POST /api/auth/password/reset/ 202 public",
      "POST /api/auth/password/reset/confirm/ 200 public",
      "POST /api/auth/password/change/ 200 user",
      "POST /api/auth/email/change/ 202 user",
      "POST /api/auth/email/change/confirm/ 200 user",
      "GET /api/auth/sessions/ 200 user",
      "DELETE /api/auth/sessions/{id}/ 200 user",
      "POST /api/auth/logout/all/ 200 user",
      "POST /api/auth/account/delete/ 200 user",
    ].sort(),
  );
  // Internal lookups are never mapped to REST: they are not reachable from the public listener.
  expect(routes.filter((r) => r.access === "service").every((r) => r.rest === undefined)).toBe(true);
});
