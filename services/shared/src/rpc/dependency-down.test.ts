import { Code, ConnectError } from "@connectrpc/connect";
import { toConnectError } from "../errors.ts";
import { isDependencyDown } from "./dependency-down.ts";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

test.each([
  ["a refused connection", withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED")],
  ["a reset connection", withCode("read ECONNRESET", "ECONNRESET")],
  ["a server shutting down (57P01)", withCode("terminating connection due to administrator command", "57P01")],
  ["a server starting up (57P03)", withCode("the database system is starting up", "57P03")],
  ["a connection exception (08006)", withCode("connection failure", "08006")],
  ["a pool that lost its connection", new Error("Connection terminated unexpectedly")],
  ["the ORM's wrapper around the driver's error", new Error("query failed", { cause: withCode("connect ECONNREFUSED", "ECONNREFUSED") })],
  ["several addresses refused", Object.assign(new AggregateError([withCode("x", "ECONNREFUSED")], "all failed"))],
])("%s is a dependency that is down: 503 UNAVAILABLE with retry-after", (_, err) => {
  expect(isDependencyDown(err)).toBe(true);
  const logged: unknown[] = [];
  const mapped = toConnectError(err, (e) => logged.push(e));
  expect(mapped.code).toBe(Code.Unavailable);
  expect(Number(mapped.metadata.get("retry-after"))).toBeGreaterThan(0);
  expect(mapped.rawMessage).not.toMatch(/127\.0\.0\.1|ECONN|administrator/);
  expect(logged).toEqual([err]);
});

test.each([
  ["a bug", new TypeError("cannot read properties of undefined")],
  ["a constraint violation (23505)", withCode("duplicate key value violates unique constraint", "23505")],
  ["NUL in text (22021)", withCode("invalid byte sequence for encoding UTF8: 0x00", "22021")],
])("%s stays a bare 500", (_, err) => {
  expect(isDependencyDown(err)).toBe(false);
  const mapped = toConnectError(err, () => {});
  expect(mapped.code).toBe(Code.Internal);
  expect(mapped.rawMessage).toBe("internal error");
});

test("a ConnectError from a called service is passed on as it is", () => {
  const unavailable = new ConnectError("down", Code.Unavailable);
  expect(toConnectError(unavailable, () => {})).toBe(unavailable);
});
