// What an attacker or a fuzzer sends, through a gateway (the embedded one started here, or GATEWAY_URL): the
// product spec's "Behaviour under attack and bad input". The methods and fields come from the contract's
// descriptors, so a new RPC or field is attacked without anyone adding it here.
import { request } from "node:http";
import { ScalarType } from "@bufbuild/protobuf";
import { type ContractRoute, routes as contractRoutes } from "@identity/proto/contract";
import { jest } from "@jest/globals";
import { compilePathTemplate } from "../../src/embedded/path-template.ts";
import { type GatewayUnderTest, startGatewayUnderTest } from "./gateway-under-test.ts";
import { type Answer, type RestClient, registerUser, restClient, type TestUser } from "./rest-client.ts";

jest.setTimeout(120_000);

let gateway: GatewayUnderTest;
let api: RestClient;
let user: TestUser;

beforeAll(async () => {
  gateway = await startGatewayUnderTest();
  api = restClient(gateway.url);
  user = await registerUser(api, "atk");
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
});

/** The REST bindings a client can reach in development (the suite's environment). */
const exposed = contractRoutes.filter((r) => r.rest && r.access !== "service");

/** Top-level string fields of the request message: where a client's text goes. */
const stringFields = (route: ContractRoute) =>
  route.method.input.fields.filter((f) => f.fieldKind === "scalar" && f.scalar === ScalarType.STRING);

const pathVariables = (route: ContractRoute) => [...(route.rest?.path ?? "").matchAll(/\{([^}=]+)/g)].map((m) => m[1] as string);

const SAMPLE_ID = "0190b5a0-0000-7000-8000-000000000001";

/**
 * One request with `value` in `field` and harmless values elsewhere: in the path when the field is a path
 * variable, in the JSON body when the binding takes one, else in the query string.
 */
function attack(route: ContractRoute, field: string, value: unknown, raw?: string): Promise<Answer> {
  const rest = route.rest as NonNullable<ContractRoute["rest"]>;
  const inPath = pathVariables(route);
  const token = route.access === "user" ? user.access : undefined;
  let path = rest.path;
  for (const name of inPath) path = path.replace(new RegExp(`\\{${name}[^}]*\\}`), name === field ? (raw ?? "") : SAMPLE_ID);
  if (inPath.includes(field)) return api.call(rest.verb, path, { token, body: rest.body ? {} : undefined });
  if (rest.body === "*") {
    const body = raw !== undefined ? `{"${field}":${raw}}` : JSON.stringify({ [field]: value });
    return api.call(rest.verb, path, { token, raw: body });
  }
  return api.call(rest.verb, `${path}?${field}=${raw ?? encodeURIComponent(String(value))}`, { token });
}

const violationFields = (answer: Answer): string[] =>
  (answer.body?.details ?? [])
    .filter((d: { "@type": string }) => d["@type"] === "type.googleapis.com/google.rpc.BadRequest")
    .flatMap((d: { field_violations: Array<{ field: string }> }) => d.field_violations.map((v) => v.field));

function expectRefused(answer: Answer, field: string): void {
  expect({ status: answer.status, code: answer.body?.code }).toEqual({ status: 400, code: 3 });
  expect(violationFields(answer)).toContain(field);
}

const cases = exposed.flatMap((route) =>
  stringFields(route).map((f) => [`${route.rest?.verb} ${route.rest?.path} ${f.name}`, route, f.name] as const),
);

test("the contract has string fields to attack (the lists below are not empty by accident)", () => {
  expect(cases.length).toBeGreaterThan(10);
});

describe("a NUL character in any string field is 400 with a field violation, never 500", () => {
  it.each(cases)("%s", async (_, route, field) => {
    const inPath = pathVariables(route).includes(field);
    const inQuery = !inPath && route.rest?.body !== "*";
    const answer = await attack(route, field, "a\u0000b", inPath || inQuery ? "a%00b" : undefined);
    if (!inPath) return expectRefused(answer, field);
    // Envoy refuses a path holding %00 as a whole, before any route (so before knowing the variable):
    // 400 INVALID_ARGUMENT all the same; a gateway that names a field names this one.
    expect({ status: answer.status, code: answer.body?.code }).toEqual({ status: 400, code: 3 });
    expect(violationFields(answer).filter((f) => f !== field)).toEqual([]);
  });
});

// A lone surrogate cannot be written in a URL (it is not a character, so it has no UTF-8 encoding): JSON
// bodies only, where `\ud800` is a valid escape that decodes to it.
const bodyCases = cases.filter(([, route, field]) => route.rest?.body === "*" && !pathVariables(route).includes(field));

describe("an unpaired surrogate in any string field of a JSON body is 400 with a field violation", () => {
  it.each(bodyCases)("%s", async (_, route, field) => {
    expectRefused(await attack(route, field, undefined, '"a\\ud800b"'), field);
  });
});

describe("a wrong JSON type or null for a string field is 400 with a field violation", () => {
  it.each(bodyCases)("%s", async (_, route, field) => {
    expectRefused(await attack(route, field, undefined, "5"), field);
    expectRefused(await attack(route, field, undefined, '{"nested":true}'), field);
    expectRefused(await attack(route, field, undefined, "null"), field);
  });
});

describe("a binding that reads fields from the body refuses a request with no body at all", () => {
  const needsBody = exposed.filter((r) => r.rest?.body === "*" && stringFields(r).some((f) => !pathVariables(r).includes(f.name)));
  it.each(needsBody.map((r) => [`${r.rest?.verb} ${r.rest?.path}`, r] as const))("%s", async (_, route) => {
    const rest = route.rest as NonNullable<ContractRoute["rest"]>;
    const path = rest.path.replace(/\{[^}]+\}/g, SAMPLE_ID);
    const token = route.access === "user" ? user.access : undefined;
    const answer = await api.call(rest.verb, path, { token });
    expect({ status: answer.status, code: answer.body?.code }).toEqual({ status: 400, code: 3 });
    // A JSON null is not an object either (protobuf would read it as an empty message).
    const nullBody = await api.call(rest.verb, path, { token, raw: "null" });
    expect({ status: nullBody.status, code: nullBody.body?.code }).toEqual({ status: 400, code: 3 });
  });
});

/** Any method, TRACE included (fetch refuses to send it). */
function send(method: string, path: string): Promise<{ status: number; allow: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${gateway.url}${path}`, { method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("a known path with a method it does not have is 405 with Allow", () => {
  const verbs = ["GET", "POST", "PUT", "PATCH", "DELETE"];
  // A literal path allows exactly its own verbs; a templated one every verb of the templates matching it.
  const templates = exposed.map((r) => ({ verb: r.rest?.verb ?? "", template: compilePathTemplate(r.rest?.path ?? "") }));
  const concrete = [...new Set(exposed.map((r) => r.rest?.path.replace(/\{[^}]+\}/g, SAMPLE_ID) ?? ""))];
  const paths = concrete.map((path) => {
    const literal = templates.filter((t) => t.template.literal && t.template.template === path);
    const matching = literal.length > 0 ? literal : templates.filter((t) => t.template.match(path));
    return [path, [...new Set(matching.map((t) => t.verb))].sort()] as const;
  });
  it.each(paths)("%s", async (path, allowed) => {
    for (const method of ["TRACE", ...verbs.filter((v) => !allowed.includes(v))]) {
      const answer = await send(method, path);
      expect([method, answer.status]).toEqual([method, 405]);
      expect(answer.allow?.split(", ").sort()).toEqual(allowed);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 12 });
    }
  });
});
