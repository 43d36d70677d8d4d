// The HTTP status of a gRPC code, as both gateways answer REST clients (the spec's "Errors" convention, and
// Envoy's transcoder) and as the OpenAPI document says. Keys are google.rpc.Code numbers, which Connect's
// `Code` shares; the generated enum is not imported, so that the OpenAPI plugin can use this while the
// generated code is being rewritten.
const httpStatusByCode: Readonly<Record<number, number>> = {
  1: 499, // CANCELLED
  2: 500, // UNKNOWN
  3: 400, // INVALID_ARGUMENT
  4: 504, // DEADLINE_EXCEEDED
  5: 404, // NOT_FOUND
  6: 409, // ALREADY_EXISTS
  7: 403, // PERMISSION_DENIED
  8: 429, // RESOURCE_EXHAUSTED
  9: 409, // FAILED_PRECONDITION
  10: 409, // ABORTED
  11: 400, // OUT_OF_RANGE
  12: 501, // UNIMPLEMENTED
  13: 500, // INTERNAL
  14: 503, // UNAVAILABLE
  15: 500, // DATA_LOSS
  16: 401, // UNAUTHENTICATED
};

/** The HTTP status of an error with this gRPC code; 500 for a code that is not an error. */
export function httpStatusOfCode(code: number): number {
  return httpStatusByCode[code] ?? 500;
}
