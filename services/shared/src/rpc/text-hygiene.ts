// Text that no field of the platform may hold, checked once for every string field of every request
// (whatever the method, whatever the gateway): NUL, which PostgreSQL refuses in text (the statement would
// fail and the client see a 500), and unpaired UTF-16 surrogates, which are not characters at all (they
// cannot be encoded as UTF-8, so they would be stored or echoed as garbage). Both are refused up front
// with a field violation naming the field, like any other validation failure.
import type { DescMessage, Message } from "@bufbuild/protobuf";
import { type ReflectMessage, reflect } from "@bufbuild/protobuf/reflect";
import type { FieldViolation } from "../errors.ts";

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why the text is refused, or undefined when it is acceptable. */
export function textProblem(text: string): string | undefined {
  if (text.includes("\u0000")) return "must not contain NUL characters";
  if (UNPAIRED_SURROGATE.test(text)) return "must be valid Unicode text (unpaired surrogate)";
  return undefined;
}

function check(message: ReflectMessage, prefix: string, out: FieldViolation[]): void {
  for (const field of message.fields) {
    if (!message.isSet(field)) continue;
    const path = prefix ? `${prefix}.${field.name}` : field.name;
    const problem = (value: unknown, at: string) => {
      const found = typeof value === "string" ? textProblem(value) : undefined;
      if (found) out.push({ field: at, description: found });
    };
    switch (field.fieldKind) {
      case "scalar":
        problem(message.get(field), path);
        break;
      case "message":
        check(message.get(field), path, out);
        break;
      case "list": {
        let i = 0;
        for (const item of message.get(field)) {
          if (field.listKind === "message") check(item as ReflectMessage, `${path}[${i}]`, out);
          else problem(item, `${path}[${i}]`);
          i += 1;
        }
        break;
      }
      case "map":
        for (const [key, value] of message.get(field)) {
          problem(key, `${path}[${String(key)}]`);
          if (field.mapKind === "message") check(value as ReflectMessage, `${path}[${String(key)}]`, out);
          else problem(value, `${path}[${String(key)}]`);
        }
        break;
      default:
        break;
    }
  }
}

/** One violation per string field (proto field path) that holds NUL or an unpaired surrogate. */
export function textViolations(desc: DescMessage, message: Message): FieldViolation[] {
  const out: FieldViolation[] = [];
  check(reflect(desc, message), "", out);
  return out;
}
