// The published document and the service must agree on avatar_url: the OpenAPI pattern is generated from
// the proto's string rule, and the service also applies a CEL isUri rule. A string the pattern accepts that
// isUri refuses would be a schema-valid request answered 400 (Schemathesis reported exactly that).
import { readFileSync } from "node:fs";
import { create } from "@bufbuild/protobuf";
import { createValidator } from "@bufbuild/protovalidate";
import { ReplaceMyProfileRequestSchema, UpdateMyProfileRequestSchema } from "@identity/proto/identity/profile/v1/profile_pb.js";

const openapi = JSON.parse(readFileSync(new URL("../../../../proto/gen/openapi.json", import.meta.url), "utf8")) as {
  components: { schemas: Record<string, { properties: Record<string, { pattern?: string }> }> };
};
const documentedPatterns = Object.values(openapi.components.schemas)
  .map((schema) => schema.properties?.avatar_url?.pattern)
  .filter((pattern): pattern is string => pattern !== undefined);

const validator = createValidator();
const serviceAccepts = (avatarUrl: string) =>
  validator.validate(UpdateMyProfileRequestSchema, create(UpdateMyProfileRequestSchema, { avatarUrl })).kind === "valid" &&
  validator.validate(ReplaceMyProfileRequestSchema, create(ReplaceMyProfileRequestSchema, { avatarUrl })).kind === "valid";

// Pieces of URLs near the edges of both rules: RFC 3986 delimiters, bad percent-encodings, spaces,
// brackets, non-ASCII, NUL.
const PIECES = [
  "a",
  "Z",
  "0",
  "9",
  ".",
  "-",
  "_",
  "~",
  "/",
  "?",
  "#",
  ":",
  "@",
  "!",
  "$",
  "&",
  "'",
  "(",
  ")",
  "*",
  "+",
  ",",
  ";",
  "=",
  "%",
  "%2F",
  "%zz",
  "%4",
  " ",
  "[",
  "]",
  "[::1]",
  "é",
  "\u0000",
  "\t",
  "\\",
  "^",
  "|",
  '"',
  "<",
  "{",
];

/** A deterministic generator (mulberry32), so a failure names the same strings on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function candidates(count: number): string[] {
  const next = random(20261201);
  const out = [
    "",
    "https://",
    "https://example.com",
    "https://example.com:8443/a%20b/c.png?x=1&y=2#top",
    "https://[::1]/a.png",
    "https://exa mple.com/",
    "http://example.com/a.png",
    "https://example.com/%E2%82%AC",
  ];
  for (let i = 0; i < count; i++) {
    let url = next() < 0.9 ? "https://" : "";
    const length = Math.floor(next() * 12);
    for (let j = 0; j < length; j++) url += PIECES[Math.floor(next() * PIECES.length)];
    out.push(url);
  }
  return out;
}

test("the document publishes one avatar_url pattern for both profile writes", () => {
  expect(documentedPatterns.length).toBeGreaterThanOrEqual(2);
  expect(new Set(documentedPatterns).size).toBe(1);
});

test("the service accepts an avatar_url exactly when the documented pattern matches it", () => {
  const pattern = new RegExp(documentedPatterns[0]!, "u");
  const disagreements = candidates(5000).filter((url) => pattern.test(url) !== serviceAccepts(url));
  expect(disagreements).toEqual([]);
});

test("the pattern accepts ordinary https URLs and refuses what is not one", () => {
  for (const url of ["", "https://example.com/a.png", "https://cdn.example.com:443/u/1/avatar.png?v=2#x"]) {
    expect(serviceAccepts(url)).toBe(true);
  }
  for (const url of ["http://example.com/a.png", "https://exa mple.com/", "https://example.com/%zz", "https://"]) {
    expect(serviceAccepts(url)).toBe(false);
  }
});
