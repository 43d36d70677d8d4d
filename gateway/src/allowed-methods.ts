// What a known path answers to a method it does not have: 405 with `Allow` listing the methods it has, as the
// original service (and any HTTP server) does, rather than 404, which would tell a client or scanner that the
// path does not exist. Derived from the contract's REST bindings, for both gateways.
import type { ContractRoute, HttpVerb } from "@identity/proto/contract";
import { compilePathTemplate } from "./embedded/path-template.ts";

export interface PathMethods {
  /** A REST path template of the contract. */
  template: string;
  /** Every verb some binding answers at a path of this template, in a stable order. */
  methods: HttpVerb[];
  /** Whether a request path is one of this template's. */
  matches(path: string): boolean;
  /** A template without variables: its 405 comes before any templated route. */
  literal: boolean;
}

const verbOrder: HttpVerb[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** `/api/friendships/{id}/` -> `/api/friendships/x/`: a concrete path of the template. */
const sampleOf = (template: string) => template.replace(/\{[^}]+\}/g, "x");

/**
 * One entry per distinct template of the routable REST bindings, literal paths first. A literal path
 * (`/api/friendships/received/`) has exactly its own verbs: the gateways answer 405 there before trying the
 * templated routes, so `DELETE /api/friendships/received/` is not taken for `DELETE /api/friendships/{id}/`.
 */
export function allowedMethodsByPath(routes: readonly ContractRoute[]): PathMethods[] {
  const bindings = routes.flatMap((r) => (r.rest ? [{ verb: r.rest.verb, template: compilePathTemplate(r.rest.path) }] : []));
  const templates = [...new Set(bindings.map((b) => b.template.template))];
  const literalFirst = [...templates.filter((t) => !t.includes("{")), ...templates.filter((t) => t.includes("{"))];
  return literalFirst.map((template) => {
    const sample = sampleOf(template);
    const literal = !template.includes("{");
    const verbs = new Set(
      bindings.filter((b) => (literal ? b.template.template === template : b.template.match(sample))).map((b) => b.verb),
    );
    const compiled = compilePathTemplate(template);
    return {
      template,
      methods: verbOrder.filter((v) => verbs.has(v)),
      matches: (path) => compiled.match(path) !== undefined,
      literal,
    };
  });
}

/** The `Allow` value for a path, or undefined when no REST binding has the path. */
export function allowFor(table: readonly PathMethods[], path: string): string | undefined {
  const entry = table.find((e) => e.matches(path));
  return entry ? entry.methods.join(", ") : undefined;
}
