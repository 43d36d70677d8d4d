// HTTP request -> protobuf request message, per an RPC's google.api.http binding, the way Envoy's gRPC-JSON
// transcoder builds it: path variables, then the JSON body as `body` says (`*` = the whole message), then
// query parameters for the fields that neither covers. Field names are accepted as proto names
// (`page_size`) and JSON names (`pageSize`). Anything the message does not have is refused (400), never
// silently dropped: unknown body fields (fromJson's default), unknown query parameters, malformed values.
import { type DescField, type DescMessage, fromJson, type JsonValue, type MessageShape, ScalarType } from "@bufbuild/protobuf";
import type { RestBinding } from "@identity/proto/contract";

/** A request the transcoder refuses: answered 400 with this message, naming the field at fault when there is one. */
export class TranscodeError extends Error {
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.name = "TranscodeError";
    this.field = field;
  }
}

export interface HttpRequestParts {
  pathParams: Record<string, string>;
  query: URLSearchParams;
  /** The raw body, or undefined when the binding takes none. */
  body: string | undefined;
}

type JsonObject = { [key: string]: JsonValue };

export function fieldByName(message: DescMessage, name: string): DescField | undefined {
  return message.fields.find((f) => f.name === name || f.jsonName === name);
}

const INT32 = new Set([ScalarType.INT32, ScalarType.SINT32, ScalarType.SFIXED32]);
const UINT32 = new Set([ScalarType.UINT32, ScalarType.FIXED32]);
const INT64 = new Set([ScalarType.INT64, ScalarType.SINT64, ScalarType.SFIXED64, ScalarType.UINT64, ScalarType.FIXED64]);

/** One query or path value, typed by the field's scalar type, as the JSON fromJson expects. */
export function scalarFromText(scalar: ScalarType | undefined, text: string, name: string): JsonValue {
  if (scalar === undefined || scalar === ScalarType.STRING || scalar === ScalarType.BYTES) return text;
  if (scalar === ScalarType.BOOL) {
    if (text === "true") return true;
    if (text === "false") return false;
    throw new TranscodeError(`${name}: expected true or false`);
  }
  if (INT32.has(scalar) || UINT32.has(scalar) || INT64.has(scalar)) {
    if (!/^-?\d+$/.test(text)) throw new TranscodeError(`${name}: expected an integer`);
    if (INT64.has(scalar)) return text;
    const n = Number(text);
    const [min, max] = UINT32.has(scalar) ? [0, 2 ** 32 - 1] : [-(2 ** 31), 2 ** 31 - 1];
    if (n < min || n > max) throw new TranscodeError(`${name}: out of range`);
    return n;
  }
  const n = Number(text);
  if (text.trim() === "" || Number.isNaN(n)) throw new TranscodeError(`${name}: expected a number`);
  return n;
}

/** Resolves a dotted field path (`page_size`, `filter.status`) to its leaf field and the JSON keys on the way. */
function resolvePath(message: DescMessage, path: string): { keys: string[]; field: DescField } | undefined {
  let current: DescMessage | undefined = message;
  const keys: string[] = [];
  let field: DescField | undefined;
  for (const part of path.split(".")) {
    if (!current) return undefined;
    field = fieldByName(current, part);
    if (!field) return undefined;
    keys.push(field.jsonName);
    current = field.fieldKind === "message" ? field.message : undefined;
  }
  return field ? { keys, field } : undefined;
}

function setAt(target: JsonObject, keys: string[], value: JsonValue): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as JsonObject;
  }
  node[keys[keys.length - 1] as string] = value;
}

function textValue(field: DescField, text: string, name: string): JsonValue {
  if (field.fieldKind === "scalar") return scalarFromText(field.scalar, text, name);
  if (field.fieldKind === "enum") return text;
  if (field.fieldKind === "list" && field.listKind === "scalar") return scalarFromText(field.scalar, text, name);
  if (field.fieldKind === "list" && field.listKind === "enum") return text;
  throw new TranscodeError(`${name}: cannot be given as a text parameter`);
}

/** The top-level JSON key of a field, under either of its names, removed so that path values win. */
function dropField(body: JsonObject, field: DescField): void {
  delete body[field.name];
  delete body[field.jsonName];
}

function parseBody(raw: string | undefined): JsonValue | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    throw new TranscodeError("request body is not valid JSON");
  }
}

/**
 * `null` is refused for every field, at any depth: protobuf's JSON mapping would read it as "not set" (an empty
 * string), so `{"bio": null}` would silently clear a field and `{"username": null}` pass for "". The
 * contract documents no field as nullable.
 */
function refuseNulls(value: JsonValue, path: string): void {
  if (value === null) throw new TranscodeError(`${path}: must not be null`, path);
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) refuseNulls(item, `${path}[${i}]`);
  } else if (typeof value === "object") {
    for (const [key, item] of Object.entries(value)) refuseNulls(item, path ? `${path}.${key}` : key);
  }
}

/** The fields a `body: "*"` binding takes from the body: every field not bound to the path. */
export function bodyFieldsOf(input: DescMessage, binding: RestBinding): DescField[] {
  if (binding.body !== "*") return [];
  const inPath = new Set([...binding.path.matchAll(/\{([^}=]+)/g)].map((m) => m[1]));
  return input.fields.filter((f) => !inPath.has(f.name));
}

/** `cannot decode field pkg.Message.name from JSON: expected string, got 5` -> field `name`, and the reason. */
function decodeFailure(err: unknown): TranscodeError {
  const text = err instanceof Error ? err.message : "";
  const m = /cannot decode field [\w.]*?\.(\w+) from JSON:\s*(.*)$/s.exec(text);
  if (m) return new TranscodeError(`invalid request: ${m[1]}: ${m[2]}`, m[1]);
  // fromJson's other messages name the message type; keep only what the client can act on.
  const rest = text.replace(/^cannot decode message [\w.]+ from JSON:\s*/, "");
  const unknown = /key "([^"]+)" is unknown/.exec(rest);
  return new TranscodeError(`invalid request: ${rest || "malformed field"}`, unknown?.[1]);
}

export function buildRequestMessage<Desc extends DescMessage>(
  input: Desc,
  binding: RestBinding,
  parts: HttpRequestParts,
): MessageShape<Desc> {
  const json: JsonObject = {};
  const covered = new Set<string>();

  if (binding.body === "*") {
    const parsed = parseBody(parts.body);
    // A binding that reads fields from the body needs one (PUT/PATCH with nothing at all is a client bug,
    // not "change nothing"); a body of `{}` is an explicit, valid request.
    if (parsed === undefined && bodyFieldsOf(input, binding).length > 0) throw new TranscodeError("a JSON request body is required");
    // Only a missing body means "{}": a JSON `null` body is refused like any other non-object.
    const body = parsed === undefined ? {} : parsed;
    if (body === null || typeof body !== "object" || Array.isArray(body)) throw new TranscodeError("request body must be a JSON object");
    refuseNulls(body, "");
    Object.assign(json, body);
  } else if (binding.body !== "") {
    const field = fieldByName(input, binding.body);
    const body = parseBody(parts.body);
    if (body !== undefined) refuseNulls(body, binding.body);
    if (field && body !== undefined) json[field.jsonName] = body;
    if (field) covered.add(field.name);
  }

  for (const [name, text] of Object.entries(parts.pathParams)) {
    const resolved = resolvePath(input, name);
    if (!resolved) throw new TranscodeError(`path variable ${name} is not a field`);
    if (resolved.keys.length === 1) dropField(json, resolved.field);
    setAt(json, resolved.keys, textValue(resolved.field, text, name));
    covered.add(resolved.field.name);
  }

  const repeated = new Map<string, JsonValue[]>();
  for (const [name, text] of parts.query) {
    const resolved = binding.body === "*" ? undefined : resolvePath(input, name);
    if (!resolved || covered.has(resolved.field.name)) throw new TranscodeError(`unknown query parameter: ${name}`);
    const value = textValue(resolved.field, text, name);
    if (resolved.field.fieldKind === "list") {
      const key = resolved.keys.join(".");
      const values = repeated.get(key) ?? [];
      values.push(value);
      repeated.set(key, values);
      setAt(json, resolved.keys, values);
    } else {
      if (parts.query.getAll(name).length > 1) throw new TranscodeError(`query parameter ${name} given more than once`);
      setAt(json, resolved.keys, value);
    }
  }

  try {
    return fromJson(input, json);
  } catch (err) {
    throw decodeFailure(err);
  }
}
