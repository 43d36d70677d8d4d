import { create } from "@bufbuild/protobuf";
import { FieldRulesSchema, Ignore } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { celRuleMessages, rejectsZeroValue, ruleKeywords } from "./validate-rules.ts";

type FieldRulesInit = Parameters<typeof create<typeof FieldRulesSchema>>[1];
const rules = (init: FieldRulesInit) => create(FieldRulesSchema, init);
const str = (value: Record<string, unknown>) => rules({ type: { case: "string", value } } as FieldRulesInit);

describe("ruleKeywords", () => {
  test("string lengths, pattern and well-known formats", () => {
    expect(ruleKeywords(str({ minLen: 8n, maxLen: 128n })).value).toEqual({ minLength: 8, maxLength: 128 });
    expect(ruleKeywords(str({ pattern: "^[0-9]{6}$" })).value).toEqual({ pattern: "^[0-9]{6}$" });
    expect(ruleKeywords(str({ wellKnown: { case: "email", value: true }, maxLen: 254n })).value).toEqual({
      maxLength: 254,
      format: "email",
    });
    expect(ruleKeywords(str({ wellKnown: { case: "uuid", value: true } })).value).toEqual({ format: "uuid" });
  });

  test("max_len 0 is a rule (only the empty string), unset is none", () => {
    expect(ruleKeywords(str({ maxLen: 0n })).value).toEqual({ maxLength: 0 });
    expect(ruleKeywords(str({})).value).toEqual({});
  });

  test("`in` and `not_in` become enum and not-enum", () => {
    expect(ruleKeywords(str({ in: ["", "requested", "accepted"] })).value).toEqual({
      enum: ["", "requested", "accepted"],
    });
    expect(ruleKeywords(str({ notIn: ["admin"] })).value).toEqual({ not: { enum: ["admin"] } });
  });

  test("a pattern ECMAScript cannot read is left out rather than published wrong", () => {
    expect(ruleKeywords(str({ pattern: "(?P<name>x)" })).value).toEqual({});
  });

  test("int32 bounds, inclusive and exclusive", () => {
    const inclusive = rules({
      type: { case: "int32", value: { greaterThan: { case: "gte", value: 0 }, lessThan: { case: "lte", value: 100 } } },
    } as FieldRulesInit);
    expect(ruleKeywords(inclusive).value).toEqual({ minimum: 0, maximum: 100 });
    const exclusive = rules({
      type: { case: "int32", value: { greaterThan: { case: "gt", value: 0 }, lessThan: { case: "lt", value: 10 } } },
    } as FieldRulesInit);
    expect(ruleKeywords(exclusive).value).toEqual({ exclusiveMinimum: 0, exclusiveMaximum: 10 });
  });

  test("repeated: item counts on the array, item rules on its items", () => {
    const items = str({ wellKnown: { case: "uuid", value: true } });
    const repeated = rules({
      type: { case: "repeated", value: { minItems: 1n, maxItems: 100n, unique: true, items } },
    } as FieldRulesInit);
    expect(ruleKeywords(repeated)).toEqual({
      value: { minItems: 1, maxItems: 100, uniqueItems: true },
      items: { format: "uuid" },
    });
  });

  test("ignore: ALWAYS drops every rule; IF_ZERO_VALUE lets the empty string through", () => {
    const always = rules({ ignore: Ignore.ALWAYS, type: { case: "string", value: { minLen: 3n } } } as FieldRulesInit);
    expect(ruleKeywords(always).value).toEqual({});
    const ifZero = rules({
      ignore: Ignore.IF_ZERO_VALUE,
      type: { case: "string", value: { minLen: 3n } },
    } as FieldRulesInit);
    expect(ruleKeywords(ifZero).value).toEqual({ anyOf: [{ const: "" }, { minLength: 3 }] });
  });
});

describe("rejectsZeroValue", () => {
  test("true when an absent (empty) value fails validation", () => {
    expect(rejectsZeroValue(str({ minLen: 1n }))).toBe(true);
    expect(rejectsZeroValue(str({ wellKnown: { case: "email", value: true } }))).toBe(true);
    expect(rejectsZeroValue(str({ pattern: "^[A-Za-z0-9_.]{3,30}$" }))).toBe(true);
    expect(rejectsZeroValue(str({ in: ["accept", "reject"] }))).toBe(true);
    expect(rejectsZeroValue(rules({ required: true }))).toBe(true);
  });
  test("false when the empty value passes", () => {
    expect(rejectsZeroValue(str({ maxLen: 150n }))).toBe(false);
    expect(rejectsZeroValue(str({ in: ["", "requested"] }))).toBe(false);
    expect(rejectsZeroValue(str({ pattern: "^[a-z]*$" }))).toBe(false);
    expect(rejectsZeroValue(rules({}))).toBe(false);
    const ifZero = rules({
      ignore: Ignore.IF_ZERO_VALUE,
      type: { case: "string", value: { minLen: 3n } },
    } as FieldRulesInit);
    expect(rejectsZeroValue(ifZero)).toBe(false);
  });
});

test("CEL rules surface by their message", () => {
  const withCel = rules({
    cel: [{ id: "avatar_url.https", message: "must be an https URL", expression: "this.startsWith('https://')" }],
  });
  expect(celRuleMessages(withCel)).toEqual(["must be an https URL"]);
});
