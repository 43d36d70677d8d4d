// protovalidate rules -> JSON Schema keywords, only where JSON Schema has a direct equivalent. CEL rules
// and the rest stay with the server; their messages are surfaced in descriptions instead.
import { isFieldSet } from "@bufbuild/protobuf";
import {
  DoubleRulesSchema,
  type FieldRules,
  Fixed32RulesSchema,
  FloatRulesSchema,
  Ignore,
  Int32RulesSchema,
  MapRulesSchema,
  RepeatedRulesSchema,
  SFixed32RulesSchema,
  SInt32RulesSchema,
  type StringRules,
  StringRulesSchema,
  UInt32RulesSchema,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import type { JsonObject } from "./json-schema.ts";

// Rules whose values are JSON numbers. The 64-bit ones are JSON strings, where bounds do not apply.
const NUMBER_RULE_SCHEMAS = {
  float: FloatRulesSchema,
  double: DoubleRulesSchema,
  int32: Int32RulesSchema,
  uint32: UInt32RulesSchema,
  sint32: SInt32RulesSchema,
  fixed32: Fixed32RulesSchema,
  sfixed32: SFixed32RulesSchema,
} as const;

const FORMAT_BY_WELL_KNOWN: Readonly<Record<string, string>> = {
  email: "email",
  hostname: "hostname",
  ipv4: "ipv4",
  ipv6: "ipv6",
  uri: "uri",
  uriRef: "uri-reference",
  uuid: "uuid",
};

/** Keywords for a field's value, and for each item of a repeated field. */
export interface RuleKeywords {
  value: JsonObject;
  items: JsonObject;
}

export function ruleKeywords(rules: FieldRules): RuleKeywords {
  const none: RuleKeywords = { value: {}, items: {} };
  if (rules.ignore === Ignore.ALWAYS) return none;
  const type = rules.type;
  if (type.case === "repeated") {
    const repeated = type.value;
    const value: JsonObject = {};
    if (repeated.minItems > 0n) value.minItems = Number(repeated.minItems);
    if (isFieldSet(repeated, RepeatedRulesSchema.field.maxItems)) value.maxItems = Number(repeated.maxItems);
    if (repeated.unique) value.uniqueItems = true;
    const items = repeated.items ? ruleKeywords(repeated.items).value : {};
    return { value, items };
  }
  if (type.case === "map") {
    const value: JsonObject = {};
    if (type.value.minPairs > 0n) value.minProperties = Number(type.value.minPairs);
    if (isFieldSet(type.value, MapRulesSchema.field.maxPairs)) value.maxProperties = Number(type.value.maxPairs);
    return { value, items: {} };
  }
  let value: JsonObject = {};
  if (type.case === "string") value = stringKeywords(type.value);
  else if (type.case !== undefined && type.case in NUMBER_RULE_SCHEMAS) {
    value = numberKeywords(type.value as NumberRules, NUMBER_RULE_SCHEMAS[type.case as keyof typeof NUMBER_RULE_SCHEMAS]);
  }
  if (rules.ignore === Ignore.IF_ZERO_VALUE && Object.keys(value).length > 0 && type.case === "string") {
    // The zero value skips validation: "" is always fine.
    value = { anyOf: [{ const: "" }, value] };
  }
  return { value, items: {} };
}

function stringKeywords(rules: StringRules): JsonObject {
  const out: JsonObject = {};
  if (isFieldSet(rules, StringRulesSchema.field.const)) out.const = rules.const;
  if (isFieldSet(rules, StringRulesSchema.field.len)) {
    out.minLength = Number(rules.len);
    out.maxLength = Number(rules.len);
  }
  if (rules.minLen > 0n) out.minLength = Number(rules.minLen);
  if (isFieldSet(rules, StringRulesSchema.field.maxLen)) out.maxLength = Number(rules.maxLen);
  if (rules.pattern !== "" && isEcmaScriptRegex(rules.pattern)) out.pattern = rules.pattern;
  if (rules.in.length > 0) out.enum = [...rules.in];
  if (rules.notIn.length > 0) out.not = { enum: [...rules.notIn] };
  const wellKnown = rules.wellKnown;
  if (wellKnown.case !== undefined && wellKnown.value === true) {
    const format = FORMAT_BY_WELL_KNOWN[wellKnown.case];
    if (format) out.format = format;
  }
  return out;
}

type NumberRules = {
  const: number;
  lessThan: { case: "lt" | "lte"; value: number } | { case: undefined; value?: undefined };
  greaterThan: { case: "gt" | "gte"; value: number } | { case: undefined; value?: undefined };
  in: number[];
  notIn: number[];
};

function numberKeywords(rules: NumberRules, schema: (typeof NUMBER_RULE_SCHEMAS)[keyof typeof NUMBER_RULE_SCHEMAS]): JsonObject {
  const out: JsonObject = {};
  if (isFieldSet(rules as never, schema.field.const)) out.const = rules.const;
  if (rules.greaterThan.case === "gte") out.minimum = rules.greaterThan.value;
  if (rules.greaterThan.case === "gt") out.exclusiveMinimum = rules.greaterThan.value;
  if (rules.lessThan.case === "lte") out.maximum = rules.lessThan.value;
  if (rules.lessThan.case === "lt") out.exclusiveMaximum = rules.lessThan.value;
  if (rules.in.length > 0) out.enum = [...rules.in];
  if (rules.notIn.length > 0) out.not = { enum: [...rules.notIn] };
  return out;
}

/**
 * Whether a value left out (the proto3 zero value) fails validation: such a field is required in a
 * request body, because the server answers 400 without it.
 */
export function rejectsZeroValue(rules: FieldRules): boolean {
  if (rules.required) return true;
  if (rules.ignore === Ignore.ALWAYS || rules.ignore === Ignore.IF_ZERO_VALUE) return false;
  const type = rules.type;
  if (type.case === "repeated") return type.value.minItems > 0n;
  if (type.case !== "string") return false;
  const s = type.value;
  if (s.minLen > 0n || (isFieldSet(s, StringRulesSchema.field.len) && s.len > 0n)) return true;
  if (s.wellKnown.case !== undefined && s.wellKnown.value !== false) return true;
  if (s.in.length > 0 && !s.in.includes("")) return true;
  if (s.pattern !== "" && isEcmaScriptRegex(s.pattern) && !new RegExp(s.pattern, "u").test("")) return true;
  return false;
}

/** The messages of a field's CEL rules ("must be an https URL"), which no JSON Schema keyword expresses. */
export function celRuleMessages(rules: FieldRules): string[] {
  return rules.cel.map((rule) => rule.message || rule.expression).filter((m) => m !== "");
}

// protovalidate patterns are RE2; the common subset reads the same in ECMAScript. One that does not
// compile there is left out rather than published wrong.
function isEcmaScriptRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}
