// The google.api.http annotation of an RPC, read through the request's own descriptors (no generated
// code: the plugin runs while the generated code is being rewritten), and its path templates.
import { type DescMethod, getOption, type Registry } from "@bufbuild/protobuf";

/** One HTTP binding of an RPC: a verb, a path template, and where the body goes. */
export interface HttpBinding {
  verb: "get" | "put" | "post" | "delete" | "patch";
  path: string;
  /** "" (no body), "*" (the whole request) or the name of the request field that is the body. */
  body: string;
  /** "" (the whole response) or the name of the response field that is the body. */
  responseBody: string;
}

// The shape of a google.api.HttpRule as protobuf-es decodes it without generated code.
interface HttpRuleMessage {
  pattern: { case: string | undefined; value?: unknown };
  body: string;
  responseBody: string;
  additionalBindings: HttpRuleMessage[];
}

const VERBS = new Set(["get", "put", "post", "delete", "patch"]);

/** Every binding of an RPC (its rule, then its additional bindings); none when it has no rule. */
export function httpBindingsOf(method: DescMethod, registry: Registry): HttpBinding[] {
  const extension = registry.getExtension("google.api.http");
  if (!extension) return [];
  const options = method.proto.options;
  if (!options) return [];
  const rule = getOption(method, extension) as unknown as HttpRuleMessage | undefined;
  if (!rule || rule.pattern.case === undefined) return [];
  return [rule, ...rule.additionalBindings].flatMap((r) => {
    const verb = r.pattern.case;
    if (verb === undefined || !VERBS.has(verb)) return []; // custom verbs have no OpenAPI operation
    return [{ verb: verb as HttpBinding["verb"], path: String(r.pattern.value), body: r.body, responseBody: r.responseBody }];
  });
}

/** The request fields a path template binds, e.g. "/api/friendships/{id}/" -> ["id"]. */
export function pathParameterNames(template: string): string[] {
  return [...template.matchAll(/\{([^}=]+)(?:=[^}]*)?\}/g)].map((m) => (m[1] as string).trim());
}

/** The template as an OpenAPI path: "{name=users/*}" becomes "{name}"; everything else, trailing slash included, stays. */
export function openApiPath(template: string): string {
  return template.replace(/\{([^}=]+)=[^}]*\}/g, "{$1}");
}
