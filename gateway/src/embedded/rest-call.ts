// One transcoded REST call: the HTTP request becomes the RPC's request message (request-message.ts), the
// owning service is called over the Connect protocol through its full interceptor chain (authentication,
// validation, error mapping: the same code path as any network call), and its answer becomes the REST
// answer: the status the service asked for (`x-http-status`, never forwarded), the message as JSON with
// proto field names and every field present, narrowed to `response_body`; errors as google.rpc.Status.
import type { DescMethodUnary } from "@bufbuild/protobuf";
import { toJson } from "@bufbuild/protobuf";
import { Code, ConnectError, type Transport } from "@connectrpc/connect";
import type { ContractRoute } from "@identity/proto/contract";
import { ErrorReason, reasonName } from "@identity/proto/error-reasons";
import { HTTP_STATUS_HEADER } from "@identity/shared/rpc/http-status.ts";
import { notFoundStatus } from "./replies.ts";
import { buildRequestMessage, type HttpRequestParts, TranscodeError } from "./request-message.ts";
import { gatewayStatus, httpStatusOf, reasonStatus, type StatusJson, statusJsonOf } from "./rpc-status.ts";

export interface RestAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface RestCallOptions {
  transport: Transport;
  /** Headers passed to the service: authorization, x-request-id, traceparent, x-forwarded-for. */
  header: Headers;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** `x-http-status`, when it is a success status other than 204 (which would drop the body). */
export function successStatusOf(header: Headers): number {
  const wanted = header.get(HTTP_STATUS_HEADER);
  return wanted && /^2\d\d$/.test(wanted) && wanted !== "204" ? Number(wanted) : 200;
}

export function errorAnswer(err: ConnectError): RestAnswer {
  const headers: Record<string, string> = {};
  const retryAfter = err.metadata.get("retry-after");
  if (retryAfter && /^\d+$/.test(retryAfter)) headers["retry-after"] = retryAfter;
  return { status: httpStatusOf(err.code), body: statusJsonOf(err), headers };
}

/** 400 INVALID_REQUEST, with a google.rpc.BadRequest naming the field when there is one. */
export function badRequest(message: string, field?: string): RestAnswer {
  const body = reasonStatus(ErrorReason.INVALID_REQUEST, { params: { detail: message } }) satisfies StatusJson;
  if (field) {
    body.details.push({
      "@type": "type.googleapis.com/google.rpc.BadRequest",
      field_violations: [{ field, description: message, reason: reasonName(ErrorReason.INVALID_REQUEST) }],
    });
  }
  return statusAnswer(body);
}

/** A refusal of the gateway's own, at the HTTP status of its code (the edge plan's). */
const statusAnswer = (body: StatusJson): RestAnswer => ({ status: httpStatusOf(body.code as Code), body, headers: {} });

export async function callRest(route: ContractRoute, parts: HttpRequestParts, options: RestCallOptions): Promise<RestAnswer> {
  const rest = route.rest;
  const method = route.method as DescMethodUnary;
  if (!rest || method.methodKind !== "unary") return statusAnswer(notFoundStatus());
  let input: ReturnType<typeof buildRequestMessage>;
  try {
    input = buildRequestMessage(method.input, rest, parts);
  } catch (err) {
    if (err instanceof TranscodeError) return badRequest(err.message, err.field);
    throw err;
  }
  try {
    const response = await options.transport.unary(method, options.signal, options.timeoutMs, options.header, input);
    const json = toJson(method.output, response.message, { useProtoFieldName: true, alwaysEmitImplicit: true }) as Record<string, unknown>;
    const body = rest.responseBody ? (json[rest.responseBody] ?? null) : json;
    const headers: Record<string, string> = {};
    // The service's answer headers a REST client reads (Envoy's transcoder passes them all the same way).
    for (const name of ["x-request-id", "idempotent-replayed"]) {
      const value = response.header.get(name);
      if (value) headers[name] = value;
    }
    return { status: successStatusOf(response.header), body, headers };
  } catch (err) {
    const connectError = ConnectError.from(err);
    // The service could not be reached or did not answer in time: the gateway's own 503/504.
    if (connectError.code === Code.DeadlineExceeded) return statusAnswer(gatewayStatus(Code.DeadlineExceeded, "upstream timed out"));
    return errorAnswer(connectError);
  }
}
