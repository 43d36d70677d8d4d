// google.api.http path templates (`/api/friendships/respond/{id}/`) as matchers. The match is exact, trailing
// slash included: `/api/friendships/request` (no slash) is not `/api/friendships/request/`, and answers 404,
// as Envoy's routes (generated from the same templates) do. A variable matches one path segment, or with
// `{name=**}` the rest of the path.

export interface PathTemplate {
  template: string;
  /** Variable names, in order; a dotted name (`user.id`) sets a nested field. */
  variables: string[];
  /** Whether the template has no variables (literal paths are tried first, so `received/` is never an `{id}`). */
  literal: boolean;
  match(path: string): Record<string, string> | undefined;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&");

export function compilePathTemplate(template: string): PathTemplate {
  const variables: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (!part.startsWith("{")) return escapeRegex(part);
      const [name = "", pattern] = part.slice(1, -1).split("=");
      variables.push(name);
      return pattern === "**" ? "(.+)" : "([^/]+)";
    })
    .join("");
  const regex = new RegExp(`^${source}$`);
  return {
    template,
    variables,
    literal: variables.length === 0,
    match(path) {
      const m = regex.exec(path);
      if (!m) return undefined;
      const values: Record<string, string> = {};
      for (const [i, name] of variables.entries()) {
        let value: string;
        try {
          value = decodeURIComponent(m[i + 1] ?? "");
        } catch {
          return undefined;
        }
        values[name] = value;
      }
      return values;
    },
  };
}
