// The generated document (proto/gen/openapi.json): valid OpenAPI, the REST surface of the product spec
// (docs: the spec's tables), and exactly what the plugin makes of today's protos, every time.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, fromBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { validate } from "@readme/openapi-parser";
import { parse as parseYaml } from "yaml";
import { OUTPUT_FILE, openApiPlugin } from "./plugin.ts";

const root = new URL("../../../", import.meta.url).pathname;
const generatedText = readFileSync(join(root, "proto/gen", OUTPUT_FILE), "utf8");

// biome-ignore lint/suspicious/noExplicitAny: assertions walk untyped JSON
type Json = Record<string, any>;
const doc = JSON.parse(generatedText) as Json;

// Every row of the spec's tables: method, path, success status(es), and whether it takes an access token.
const SPEC_ROUTES: Array<{ verb: string; path: string; success: number[]; user: boolean; optionalUser?: boolean }> = [
  { verb: "post", path: "/api/auth/register/", success: [201], user: false },
  { verb: "post", path: "/api/auth/otp/verify/", success: [200], user: true },
  { verb: "post", path: "/api/auth/otp/resend/", success: [202], user: false, optionalUser: true },
  { verb: "post", path: "/api/auth/login/", success: [200], user: false },
  { verb: "post", path: "/api/auth/refresh/", success: [200], user: false },
  { verb: "post", path: "/api/auth/logout/", success: [200], user: false },
  { verb: "get", path: "/.well-known/jwks.json", success: [200], user: false },
  { verb: "get", path: "/api/profiles/me/", success: [200], user: true },
  { verb: "put", path: "/api/profiles/me/", success: [200], user: true },
  { verb: "patch", path: "/api/profiles/me/", success: [200], user: true },
  { verb: "get", path: "/api/users/", success: [200], user: true },
  { verb: "post", path: "/api/friendships/request/", success: [201, 200], user: true },
  { verb: "get", path: "/api/friendships/", success: [200], user: true },
  { verb: "get", path: "/api/friendships/received/", success: [200], user: true },
  { verb: "post", path: "/api/friendships/respond/{id}/", success: [200], user: true },
  { verb: "delete", path: "/api/friendships/{id}/", success: [200], user: true },
  { verb: "get", path: "/api/dev/mail/", success: [200], user: false },
  { verb: "post", path: "/api/auth/password/reset/", success: [202], user: false },
  { verb: "post", path: "/api/auth/password/reset/confirm/", success: [200], user: false },
  { verb: "post", path: "/api/auth/password/change/", success: [200], user: true },
  { verb: "post", path: "/api/auth/email/change/", success: [202], user: true },
  { verb: "post", path: "/api/auth/email/change/confirm/", success: [200], user: true },
  { verb: "get", path: "/api/auth/sessions/", success: [200], user: true },
  { verb: "delete", path: "/api/auth/sessions/{id}/", success: [200], user: true },
  { verb: "post", path: "/api/auth/logout/all/", success: [200], user: true },
  { verb: "post", path: "/api/auth/account/delete/", success: [200], user: true },
];

const VERBS = ["get", "put", "post", "delete", "patch"];
const operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
  VERBS.filter((verb) => verb in item).map((verb) => ({ path, verb, op: item[verb] as Json })),
);
const operation = (verb: string, path: string) => doc.paths[path]?.[verb] as Json | undefined;
const schema = (ref: string) => doc.components.schemas[ref.replace("#/components/schemas/", "")] as Json;

test("the OpenAPI parser finds the document valid, without warnings", async () => {
  const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0]);
  expect(result).toEqual({ valid: true, warnings: [], specification: "OpenAPI" });
  expect(doc.openapi).toBe("3.1.0");
});

test("the document has exactly the spec's routes, each with its success status(es)", () => {
  expect(operations.map((o) => `${o.verb} ${o.path}`).sort()).toEqual(SPEC_ROUTES.map((r) => `${r.verb} ${r.path}`).sort());
  for (const route of SPEC_ROUTES) {
    const op = operation(route.verb, route.path) as Json;
    const successes = Object.keys(op.responses)
      .filter((status) => /^2\d\d$/.test(status))
      .map(Number);
    expect({ route: route.path, successes: successes.sort() }).toEqual({
      route: route.path,
      successes: [...route.success].sort(),
    });
    for (const status of route.success) {
      expect(op.responses[String(status)].content["application/json"].schema).toBeDefined();
    }
  }
});

test("bearerAuth is required on the user routes, optional on resend, and on no other", () => {
  expect(doc.components.securitySchemes.bearerAuth).toEqual(
    expect.objectContaining({ type: "http", scheme: "bearer", bearerFormat: "JWT" }),
  );
  expect(doc.security).toBeUndefined();
  for (const route of SPEC_ROUTES) {
    const op = operation(route.verb, route.path) as Json;
    expect({ route: route.path, security: op.security }).toEqual({
      route: route.path,
      security: route.user ? [{ bearerAuth: [] }] : "optionalUser" in route ? [{ bearerAuth: [] }, {}] : undefined,
    });
    if (route.user || "optionalUser" in route) expect(op.responses["401"]).toBeDefined();
  }
});

test("request bodies reject unknown fields and carry the validation rules", () => {
  const register = schema("RegisterRequest");
  expect(register.additionalProperties).toBe(false);
  expect(register.properties.username.pattern).toBe("^[A-Za-z0-9_.]{3,30}$");
  expect(register.properties.email).toEqual(expect.objectContaining({ format: "email", maxLength: 254 }));
  expect(register.properties.password).toEqual(expect.objectContaining({ minLength: 8, maxLength: 128 }));
  expect(register.required).toEqual(["username", "email", "password"]);
  for (const { op } of operations) {
    const ref = op.requestBody?.content["application/json"].schema.$ref as string | undefined;
    if (ref)
      expect({ ref, additionalProperties: schema(ref).additionalProperties }).toEqual({
        ref,
        additionalProperties: false,
      });
  }
  // The path's {id} is not part of the body.
  const respond = operation("post", "/api/friendships/respond/{id}/") as Json;
  const body = schema(respond.requestBody.content["application/json"].schema.$ref);
  expect(Object.keys(body.properties)).toEqual(["action"]);
  expect(body.properties.action.enum).toEqual(["accept", "reject"]);
  expect(respond.parameters.filter((p: Json) => p.in === "path")).toEqual([
    expect.objectContaining({ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }),
  ]);
});

test("GET routes take the request's fields as query parameters", () => {
  const list = operation("get", "/api/users/") as Json;
  expect(list.parameters.map((p: Json) => `${p.in}:${p.name}`)).toEqual(["query:search", "query:page_size", "query:page_token"]);
  const pageSize = list.parameters.find((p: Json) => p.name === "page_size");
  expect(pageSize.schema).toEqual({ type: "integer", format: "int32", minimum: 0, maximum: 100 });
  const friendships = operation("get", "/api/friendships/") as Json;
  expect(friendships.parameters.find((p: Json) => p.name === "status").schema.enum).toEqual(["", "requested", "accepted"]);
});

test("responses use the proto JSON mapping and honour response_body", () => {
  const me = operation("get", "/api/profiles/me/") as Json;
  expect(me.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Profile" });
  const profile = schema("Profile");
  expect(profile.properties.created_at).toEqual({ type: "string", format: "date-time" });
  expect(profile.required).toEqual(expect.arrayContaining(["user_id", "username", "display_name", "bio"]));
  const friendship = schema("Friendship");
  expect(friendship.properties.requester).toEqual({ $ref: "#/components/schemas/UserSummary" });
  expect(schema("ListUsersResponse").properties.users).toEqual({
    type: "array",
    items: { $ref: "#/components/schemas/UserSummary" },
  });
  // `optional` fields may be left out of a PATCH; nothing is required there.
  expect(schema("UpdateMyProfileRequest").required).toBeUndefined();
});

test("error answers: google.rpc.Status, with the statuses of the reasons each RPC declares or its policy implies", () => {
  const status = doc.components.schemas.Status as Json;
  expect(Object.keys(status.properties)).toEqual(["code", "message", "details"]);
  expect(status.properties.details.items.required).toEqual(["@type"]);
  const errorStatuses = (verb: string, path: string) => Object.keys((operation(verb, path) as Json).responses).filter((s) => !/^2/.test(s));
  // Every operation with a JSON body documents the gateways' 413; one without a body does not.
  expect(errorStatuses("post", "/api/auth/register/")).toEqual(["400", "409", "413", "429", "default"]);
  expect(errorStatuses("post", "/api/auth/login/")).toEqual(["400", "401", "413", "429", "default"]);
  expect(errorStatuses("get", "/.well-known/jwks.json")).toEqual(["default"]);
  // 429: new friend requests are counted per account (friendship's friend-request limit).
  expect(errorStatuses("post", "/api/friendships/request/")).toEqual(["400", "401", "403", "404", "409", "413", "429", "default"]);
  expect(errorStatuses("post", "/api/friendships/respond/{id}/")).toEqual(["400", "401", "403", "404", "409", "413", "default"]);
  expect(errorStatuses("get", "/api/dev/mail/")).toEqual(["400", "404", "default"]);
  const conflict = (operation("post", "/api/auth/register/") as Json).responses["409"];
  expect(conflict.description).toContain('- `USERNAME_TAKEN` (case-insensitive): "A user with that username already exists."');
  // A user RPC's 401 lists the access-token reasons; a public one that reads a refresh token, its own.
  expect((operation("get", "/api/profiles/me/") as Json).responses["401"].description.split("\n")).toEqual([
    '- `NOT_AUTHENTICATED` (no access token in the Authorization header): "Authentication credentials were not provided."',
    '- `TOKEN_NOT_VALID`: "Given token not valid for any token type" or "Token is invalid or expired"',
    '- `ACCOUNT_DELETED`: "This account has been deleted."',
  ]);
  expect((operation("post", "/api/auth/refresh/") as Json).responses["401"].description).toMatch(/^- `TOKEN_NOT_VALID` \(unknown/);
  // The gateways' own refusals (scope gateway) are named once per operation, under default.
  expect((operation("get", "/.well-known/jwks.json") as Json).responses.default.description).toContain("`SERVICE_UNAVAILABLE`");
  for (const { op } of operations) {
    expect(op.operationId).toMatch(/^[A-Za-z]+Service_[A-Za-z]+$/);
    expect(op.tags).toEqual([op.operationId.split("_")[0]]);
  }
});

test("descriptions come from the proto comments", () => {
  expect((operation("post", "/api/auth/register/") as Json).summary).toBe(
    "Creates an account and logs it in; mails a 6-digit verification code to the address",
  );
  expect(doc.tags.map((t: Json) => t.name)).toEqual(["AuthService", "DevMailService", "FriendshipService", "ProfileService"]);
  expect(schema("User").description).toBe("An account, as its owner sees it.");
  expect(schema("User").properties.id.description).toBe("UUID v7.");
});

describe("the plugin on today's protos", () => {
  let request: ReturnType<typeof create<typeof CodeGeneratorRequestSchema>>;
  let work: string;

  beforeAll(() => {
    // The same inputs as buf.gen.yaml, built the way `buf generate` hands them to the plugin.
    const config = parseYaml(readFileSync(join(root, "buf.gen.yaml"), "utf8")) as {
      inputs: Array<{ paths: string[] }>;
    };
    const pathArgs = (config.inputs[0]?.paths ?? []).flatMap((p) => ["--path", p]);
    work = mkdtempSync(join(tmpdir(), "openapi-test-"));
    const build = (out: string, ...extra: string[]) => {
      execFileSync(join(root, "node_modules/.bin/buf"), ["build", ".", ...pathArgs, ...extra, "-o", out], {
        cwd: root,
      });
      return fromBinary(FileDescriptorSetSchema, readFileSync(out));
    };
    const all = build(join(work, "all.binpb"));
    const own = build(join(work, "own.binpb"), "--exclude-imports");
    request = create(CodeGeneratorRequestSchema, {
      fileToGenerate: own.file.map((f) => f.name),
      protoFile: all.file,
    });
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test("generates exactly the committed document, the same twice over", () => {
    const first = openApiPlugin.run(request);
    const second = openApiPlugin.run(request);
    expect(first.file.map((f) => f.name)).toEqual([OUTPUT_FILE]);
    expect(second.file[0]?.content).toBe(first.file[0]?.content);
    // If this fails, the protos changed without `npm run generate`.
    expect(first.file[0]?.content).toBe(generatedText);
  });
});

test("request strings say what the services refuse: no NUL (a pattern of their own or the generic one), https avatars", () => {
  const committed = JSON.parse(readFileSync(join(root, "proto/gen/openapi.json"), "utf8")) as Json;
  const schemas = committed.components.schemas as Record<string, Json>;
  const nulFree = (pattern: string) => !new RegExp(pattern, "u").test("a\u0000b");
  let checked = 0;
  for (const [name, schema] of Object.entries(schemas)) {
    if (!name.endsWith("Request")) continue;
    for (const [field, property] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
      if (property.type !== "string" || property.format || property.enum) continue;
      // An optional field is "empty, or a value of its own format": each branch must refuse NUL.
      const branches: Json[] = property.anyOf ?? [property];
      const refusesNul = branches.every((b) => "const" in b || b.format || (typeof b.pattern === "string" && nulFree(b.pattern)));
      expect([name, field, refusesNul]).toEqual([name, field, true]);
      checked += 1;
    }
  }
  expect(checked).toBeGreaterThan(10);
  const avatar = new RegExp(schemas.UpdateMyProfileRequest?.properties.avatar_url.pattern, "u");
  expect(["", "https://cdn.example.com/a.png"].every((v) => avatar.test(v))).toBe(true);
  expect(["http://cdn.example.com/a.png", "javascript:alert(1)", "https://a b"].some((v) => avatar.test(v))).toBe(false);
});

test("the writes marked idempotency_key in the contract, and only they, take an Idempotency-Key header and may answer 409", () => {
  const marked = [
    "post /api/auth/register/",
    "post /api/auth/password/reset/",
    "post /api/friendships/request/",
    "post /api/friendships/respond/{id}/",
  ];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [verb, op] of Object.entries(item as Json)) {
      const header = ((op as Json).parameters ?? []).find((p: Json) => p.in === "header" && p.name === "Idempotency-Key");
      const route = `${verb} ${path}`;
      if (!marked.includes(route)) {
        expect([route, header]).toEqual([route, undefined]);
        continue;
      }
      expect([route, header?.required, header?.schema]).toEqual([
        route,
        false,
        { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7E]+$" },
      ]);
      expect((op as Json).responses["409"].description).toMatch(/IDEMPOTENCY_KEY_REUSED/);
      const success = Object.entries((op as Json).responses as Json).filter(([status]) => status.startsWith("2"));
      for (const [, answer] of success)
        expect((answer as Json).headers["Idempotent-Replayed"].schema).toEqual({ type: "string", enum: ["true"] });
    }
  }
});

test("a request body is required exactly where it has fields: the gateways read no body as {} only there", () => {
  // Schemathesis sent POST /api/auth/logout/all/ with no body; both gateways answered 200, as they should for a
  // message without fields, so the document must not call that body required.
  expect((operation("post", "/api/auth/logout/all/") as Json).requestBody.required).toBe(false);
  for (const [verb, path] of [
    ["put", "/api/profiles/me/"],
    ["patch", "/api/profiles/me/"],
    ["post", "/api/auth/login/"],
    ["post", "/api/friendships/respond/{id}/"],
  ] as const) {
    expect((operation(verb, path) as Json).requestBody.required).toBe(true);
  }
});
