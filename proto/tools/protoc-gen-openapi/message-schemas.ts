// Component schemas for the messages an API uses, in the JSON the gateway speaks: proto field names,
// the proto3 JSON mapping, protovalidate rules where JSON Schema can say them.
//
// A message plays one of two roles. As input (a request body, or inside one) unknown fields are rejected,
// so the schema closes with additionalProperties: false and requires what validation requires. As output
// the gateway writes every field, defaults included, so every field without explicit presence is required.
// A message used both ways gets two schemas, the input one suffixed "Input".
import { type DescField, type DescMessage, getOption, hasOption, ScalarType } from "@bufbuild/protobuf";
import { getComments } from "@bufbuild/protoplugin";
import { field as validateRules } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { toDescription } from "./comments.ts";
import type { JsonObject } from "./json-schema.ts";
import { scalarSchema, wellKnownSchema } from "./scalar-schemas.ts";
import { celRuleMessages, rejectsZeroValue, ruleKeywords } from "./validate-rules.ts";

/**
 * Every request string refuses NUL (the services' text check, services/shared/src/rpc/text-hygiene.ts): said
 * as a pattern where the field has none of its own (a contract pattern must exclude NUL itself).
 */
export const NO_NUL_PATTERN = "^[^\\u0000]*$";

function withoutNul(schema: JsonObject): JsonObject {
  const constrained = ["pattern", "enum", "const", "format", "anyOf"].some((k) => k in schema);
  return constrained ? schema : { ...schema, pattern: NO_NUL_PATTERN };
}

export type Role = "input" | "output";

export class SchemaBook {
  readonly #uses = new Map<string, { message: DescMessage; roles: Set<Role> }>();
  readonly #bodies = new Map<string, { message: DescMessage; omit: string[] }>();

  /** Records that a message (and every message it holds) is used in a role. Call before any ref. */
  use(message: DescMessage, role: Role): void {
    if (wellKnownSchema(message.typeName)) return;
    const entry = this.#uses.get(message.typeName) ?? { message, roles: new Set<Role>() };
    if (entry.roles.has(role)) return;
    entry.roles.add(role);
    this.#uses.set(message.typeName, entry);
    for (const field of message.fields) {
      if (field.message) this.use(field.message, role);
    }
  }

  /** Records a request body: the request message without the fields its path binds. */
  useBody(message: DescMessage, omit: readonly string[]): void {
    if (omit.length === 0) {
      this.use(message, "input");
      return;
    }
    this.#bodies.set(bodyKey(message, omit), { message, omit: [...omit].sort() });
    for (const field of message.fields) {
      if (field.message && !omit.includes(field.name)) this.use(field.message, "input");
    }
  }

  ref(message: DescMessage, role: Role): JsonObject {
    const wellKnown = wellKnownSchema(message.typeName);
    if (wellKnown) return wellKnown;
    return { $ref: `#/components/schemas/${this.#name(message, role)}` };
  }

  bodyRef(message: DescMessage, omit: readonly string[]): JsonObject {
    if (omit.length === 0) return this.ref(message, "input");
    return { $ref: `#/components/schemas/${this.#baseName(message)}Body` };
  }

  /** The schema of one field's value, in a role, rules and description included. */
  fieldSchema(field: DescField, role: Role): JsonObject {
    let schema: JsonObject;
    const rules = hasOption(field, validateRules) ? getOption(field, validateRules) : undefined;
    const keywords = rules ? ruleKeywords(rules) : { value: {}, items: {} };
    switch (field.fieldKind) {
      case "scalar":
        schema = { ...scalarSchema(field.scalar), ...keywords.value };
        if (role === "input" && field.scalar === ScalarType.STRING) schema = withoutNul(schema);
        break;
      case "enum":
        schema = { ...this.#enumSchema(field.enum), ...keywords.value };
        break;
      case "message":
        schema = { ...this.ref(field.message, role), ...keywords.value };
        break;
      case "list": {
        const element =
          field.listKind === "scalar"
            ? scalarSchema(field.scalar)
            : field.listKind === "enum"
              ? this.#enumSchema(field.enum)
              : this.ref(field.message, role);
        schema = { type: "array", items: { ...element, ...keywords.items }, ...keywords.value };
        break;
      }
      case "map": {
        const value =
          field.mapKind === "scalar"
            ? scalarSchema(field.scalar)
            : field.mapKind === "enum"
              ? this.#enumSchema(field.enum)
              : this.ref(field.message, role);
        schema = { type: "object", additionalProperties: value, ...keywords.value };
        break;
      }
    }
    const notes = [toDescription(getComments(field).leading), ...(rules ? celRuleMessages(rules).map((m) => `Rule: ${m}.`) : [])];
    const description = notes.filter((n) => n !== "").join("\n\n");
    return description ? { description, ...schema } : schema;
  }

  /** Whether a field of an input message must be present: left out, it fails validation. */
  isRequiredInput(field: DescField): boolean {
    return hasOption(field, validateRules) && rejectsZeroValue(getOption(field, validateRules));
  }

  /** Every component schema, by name, names sorted. */
  components(): JsonObject {
    const out: Record<string, JsonObject> = {};
    for (const { message, roles } of this.#uses.values()) {
      for (const role of roles) out[this.#name(message, role)] = this.#messageSchema(message, role, []);
    }
    for (const { message, omit } of this.#bodies.values()) {
      out[`${this.#baseName(message)}Body`] = this.#messageSchema(message, "input", omit);
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  #messageSchema(message: DescMessage, role: Role, omit: readonly string[]): JsonObject {
    const fields = message.fields.filter((f) => !omit.includes(f.name));
    const properties: JsonObject = {};
    for (const field of fields) properties[field.name] = this.fieldSchema(field, role);
    const required = fields.filter((f) => (role === "input" ? this.isRequiredInput(f) : isAlwaysWritten(f))).map((f) => f.name);
    const schema: JsonObject = {};
    const description = toDescription(getComments(message).leading);
    if (description) schema.description = description;
    schema.type = "object";
    schema.properties = properties;
    if (required.length > 0) schema.required = required;
    if (role === "input") schema.additionalProperties = false;
    return schema;
  }

  #enumSchema(desc: NonNullable<DescField["enum"]>): JsonObject {
    if (desc.typeName === "google.protobuf.NullValue") return { type: "null" };
    return { type: "string", enum: desc.values.map((v) => v.name) };
  }

  #name(message: DescMessage, role: Role): string {
    const base = this.#baseName(message);
    const roles = this.#uses.get(message.typeName)?.roles;
    if (!roles) throw new Error(`${message.typeName} is referenced but was never recorded as used`);
    return role === "input" && roles.has("output") ? `${base}Input` : base;
  }

  // The short name, unless two messages in use share it: then the full name, for both.
  #baseName(message: DescMessage): string {
    const all = [...this.#uses.values()].map((u) => u.message).concat([...this.#bodies.values()].map((b) => b.message));
    const clash = all.some((m) => m.name === message.name && m.typeName !== message.typeName);
    return clash ? message.typeName : message.name;
  }
}

// Singular fields with explicit presence (messages, `optional`, oneof members) may be absent; every other
// field is written with its default.
function isAlwaysWritten(field: DescField): boolean {
  if (field.fieldKind === "message") return false;
  if (field.oneof !== undefined) return false;
  return !field.proto.proto3Optional;
}

function bodyKey(message: DescMessage, omit: readonly string[]): string {
  return `${message.typeName}-${[...omit].sort().join(",")}`;
}
