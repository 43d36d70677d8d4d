// The REST transcoder's pure parts: path templates, the request message built from path, query and body,
// the google.rpc.Status JSON of errors and the HTTP status of each code.
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { routes } from "@identity/proto/contract";
import { BadRequestSchema, ErrorInfoSchema } from "@identity/proto/google/rpc/error_details_pb.js";
import { LoginRequestSchema, RegisterRequestSchema } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { ListFriendshipsRequestSchema, RespondToFriendRequestRequestSchema } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { ListUsersRequestSchema, UpdateMyProfileRequestSchema } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { compilePathTemplate } from "../../src/embedded/path-template.ts";
import { buildRequestMessage, TranscodeError } from "../../src/embedded/request-message.ts";
import { successStatusOf } from "../../src/embedded/rest-call.ts";
import { buildRouteTable } from "../../src/embedded/route-table.ts";
import { httpStatusOf, statusJsonOf } from "../../src/embedded/rpc-status.ts";

const get = { verb: "GET" as const, path: "/x/", body: "", responseBody: "" };
const postAll = { verb: "POST" as const, path: "/x/{id}/", body: "*", responseBody: "" };
const q = (s: string) => new URLSearchParams(s);

describe("path templates", () => {
  const respond = compilePathTemplate("/api/friendships/respond/{id}/");

  it("binds a variable to one segment, decoded", () => {
    expect(respond.match("/api/friendships/respond/abc-1/")).toEqual({ id: "abc-1" });
    expect(respond.match("/api/friendships/respond/a%20b/")).toEqual({ id: "a b" });
    expect(respond.variables).toEqual(["id"]);
    expect(respond.literal).toBe(false);
  });

  it("keeps the trailing slash as annotated and never spans segments", () => {
    expect(respond.match("/api/friendships/respond/abc")).toBeUndefined();
    expect(respond.match("/api/friendships/respond/a/b/")).toBeUndefined();
    expect(compilePathTemplate("/api/auth/login/").match("/api/auth/login")).toBeUndefined();
    expect(compilePathTemplate("/api/auth/login/").match("/api/auth/login/")).toEqual({});
  });

  it("escapes literal dots", () => {
    const jwks = compilePathTemplate("/.well-known/jwks.json");
    expect(jwks.match("/.well-known/jwksXjson")).toBeUndefined();
    expect(jwks.match("/.well-known/jwks.json")).toEqual({});
  });

  it("matches rest of path for {name=**}", () => {
    expect(compilePathTemplate("/files/{path=**}").match("/files/a/b/c")).toEqual({ path: "a/b/c" });
  });
});

describe("the route table, from the contract", () => {
  const dev = buildRouteTable("dev");
  const prod = buildRouteTable("prod");

  it("matches every REST binding of a routable RPC by verb and path", () => {
    for (const r of routes.filter((r) => r.rest && r.access !== "service")) {
      const path = (r.rest?.path ?? "").replace(/\{[^}]+\}/g, "0190b5a0-0000-7000-8000-000000000001");
      expect(dev.matchRest(r.rest?.verb ?? "", path)?.route.route.rpcPath).toBe(r.rpcPath);
    }
  });

  it("prefers literal paths over templates, and matches no other verb", () => {
    expect(dev.matchRest("GET", "/api/friendships/received/")?.route.route.method.name).toBe("ListReceivedFriendRequests");
    expect(dev.matchRest("DELETE", "/api/friendships/received/")?.route.route.method.name).toBe("DeleteFriendship");
    expect(dev.matchRest("GET", "/api/auth/login/")).toBeUndefined();
  });

  it("exposes dev tools only in dev and service RPCs never", () => {
    expect(dev.matchRest("GET", "/api/dev/mail/")).toBeDefined();
    expect(prod.matchRest("GET", "/api/dev/mail/")).toBeUndefined();
    expect(dev.matchRpc("/identity.profile.v1.UserLookupService/BatchGetUsers")).toBeUndefined();
    expect(dev.matchRpc("/identity.friendship.v1.FriendGraphService/CheckFriendship")).toBeUndefined();
    expect(dev.matchRpc("/identity.auth.v1.AuthService/Login")?.owner).toBe("auth");
  });
});

describe("request message from path, query and body", () => {
  it("reads query parameters by proto or JSON name, typed", () => {
    const msg = buildRequestMessage(ListUsersRequestSchema, get, {
      pathParams: {},
      query: q("search=al&pageSize=5&page_token=t"),
      body: undefined,
    });
    expect(msg.search).toBe("al");
    expect(msg.pageSize).toBe(5);
    expect(msg.pageToken).toBe("t");
  });

  it("refuses unknown, malformed, out-of-range and repeated scalar query parameters", () => {
    const build = (query: string) => () =>
      buildRequestMessage(ListUsersRequestSchema, get, { pathParams: {}, query: q(query), body: undefined });
    expect(build("bogus=1")).toThrow(TranscodeError);
    expect(build("page_size=abc")).toThrow(/integer/);
    expect(build("page_size=1.5")).toThrow(/integer/);
    expect(build("page_size=99999999999")).toThrow(/range/);
    expect(build("search=a&search=b")).toThrow(/more than once/);
  });

  it("takes the whole body for body '*', with both field name styles, and path variables over body fields", () => {
    const msg = buildRequestMessage(RespondToFriendRequestRequestSchema, postAll, {
      pathParams: { id: "from-path" },
      query: q(""),
      body: '{"action":"accept","id":"from-body"}',
    });
    expect(msg.id).toBe("from-path");
    expect(msg.action).toBe("accept");
    const reg = buildRequestMessage(RegisterRequestSchema, postAll, {
      pathParams: {},
      query: q(""),
      body: '{"username":"a","first_name":"F","lastName":"L"}',
    });
    expect([reg.username, reg.firstName, reg.lastName]).toEqual(["a", "F", "L"]);
  });

  it("keeps optional fields unset when absent (PATCH)", () => {
    const msg = buildRequestMessage(UpdateMyProfileRequestSchema, postAll, { pathParams: {}, query: q(""), body: '{"bio":""}' });
    expect(msg.bio).toBe("");
    expect(msg.displayName).toBeUndefined();
  });

  it("refuses unknown body fields, non-objects, bad JSON and query parameters beside body '*'", () => {
    const build =
      (body: string, query = "") =>
      () =>
        buildRequestMessage(RegisterRequestSchema, postAll, { pathParams: {}, query: q(query), body });
    expect(build('{"is_staff":true}')).toThrow(/is_staff/);
    expect(build("[1]")).toThrow(/object/);
    expect(build("{")).toThrow(/JSON/);
    expect(build('{"username":5}')).toThrow(TranscodeError);
    expect(build("{}", "username=x")).toThrow(/unknown query parameter/);
    expect(build('{"is_staff":true}')).not.toThrow(/identity\.auth/);
  });

  it("refuses a missing body where the binding reads fields from it, and reads `{}` as an empty message", () => {
    const build = (body: string | undefined) => () =>
      buildRequestMessage(ListFriendshipsRequestSchema, postAll, { pathParams: {}, query: q(""), body });
    expect(build("")).toThrow(/body is required/);
    expect(build(undefined)).toThrow(/body is required/);
    expect(build("{}")()).toEqual(create(ListFriendshipsRequestSchema));
    expect(build("null")).toThrow(/JSON object/);
  });

  it("refuses null for any field, naming it, and names the field of a wrong JSON type", () => {
    const build = (body: string) => () => buildRequestMessage(LoginRequestSchema, postAll, { pathParams: {}, query: q(""), body });
    expect(build('{"username":null,"password":"x"}')).toThrow(expect.objectContaining({ field: "username" }));
    expect(build('{"username":5,"password":"x"}')).toThrow(expect.objectContaining({ field: "username" }));
    expect(build('{"username":5,"password":"x"}')).not.toThrow(/identity\.auth/);
  });
});

describe("errors as google.rpc.Status", () => {
  it("maps codes to the spec's HTTP statuses", () => {
    expect(httpStatusOf(Code.InvalidArgument)).toBe(400);
    expect(httpStatusOf(Code.Unauthenticated)).toBe(401);
    expect(httpStatusOf(Code.PermissionDenied)).toBe(403);
    expect(httpStatusOf(Code.NotFound)).toBe(404);
    for (const code of [Code.AlreadyExists, Code.Aborted, Code.FailedPrecondition]) expect(httpStatusOf(code)).toBe(409);
    expect(httpStatusOf(Code.ResourceExhausted)).toBe(429);
    expect(httpStatusOf(Code.Unavailable)).toBe(503);
    expect(httpStatusOf(Code.Internal)).toBe(500);
  });

  it("prints details with proto field names and their type URL", () => {
    const err = new ConnectError("bad", Code.InvalidArgument, undefined, [
      { desc: ErrorInfoSchema, value: { reason: "VALIDATION_FAILED", domain: "identity-platform" } },
      { desc: BadRequestSchema, value: { fieldViolations: [{ field: "page_size", description: "too big" }] } },
    ]);
    expect(statusJsonOf(err)).toEqual({
      code: 3,
      message: "bad",
      details: [
        { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "VALIDATION_FAILED", domain: "identity-platform" },
        { "@type": "type.googleapis.com/google.rpc.BadRequest", field_violations: [{ field: "page_size", description: "too big" }] },
      ],
    });
  });

  it("never shows the text of internal or transport errors", () => {
    expect(statusJsonOf(new ConnectError("select * from app_user failed", Code.Internal)).message).toBe("internal error");
    expect(statusJsonOf(new ConnectError("connect ECONNREFUSED 127.0.0.1:41234", Code.Unavailable)).message).toBe("service unavailable");
  });

  it("takes the success status from x-http-status, 2xx other than 204 only", () => {
    expect(successStatusOf(new Headers({ "x-http-status": "201" }))).toBe(201);
    expect(successStatusOf(new Headers({ "x-http-status": "204" }))).toBe(200);
    expect(successStatusOf(new Headers({ "x-http-status": "500" }))).toBe(200);
    expect(successStatusOf(new Headers())).toBe(200);
  });
});
