// The JSON values this generator writes: plain objects, serialised once at the end.
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };
