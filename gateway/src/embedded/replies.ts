// The gateway's own answers: google.rpc.Status JSON for REST and plain HTTP, and for gRPC, gRPC-Web and
// Connect requests the error in the caller's protocol, so that any client reads the same code.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerResponse } from "node:http2";
import { Code } from "@connectrpc/connect";
import { type ErrorReason, reasonFacts, reasonMessage } from "@identity/proto/error-reasons";
import { notFoundStatus } from "../docs/not-found.ts";
import { httpStatusOfReason } from "../edge-plan.ts";
import { httpStatusOf, reasonStatus, type StatusJson } from "./rpc-status.ts";

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    "cache-control": "no-store",
  });
  res.end(text);
}

/** A refusal of the gateway's own to a REST client, at the HTTP status of its code (the edge plan's). */
export function sendStatus(res: ServerResponse, status: StatusJson, headers: Record<string, string> = {}): void {
  sendJson(res, httpStatusOf(status.code as Code), status, headers);
}

/** One of the contract's reasons to a REST client: its HTTP status (the edge plan's), code and words. */
export function sendReason(res: ServerResponse, reason: ErrorReason, headers: Record<string, string> = {}): void {
  sendJson(res, httpStatusOfReason(reason), reasonStatus(reason), headers);
}

/** No route, no page: the words every 404 of the platform's own has (docs/not-found.ts). */
export { notFoundStatus };

/** Connect's error code names (`unauthenticated`, `resource_exhausted`). */
const connectCodeName = (code: Code): string => Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();

/** An error of the gateway's own (token, rate limit) to an RPC request, in its protocol. */
export function sendRpcError(
  req: IncomingMessage,
  res: ServerResponse,
  code: Code,
  message: string,
  headers: Record<string, string> = {},
): void {
  const contentType = req.headers["content-type"] ?? "";
  if (contentType.startsWith("application/grpc")) {
    // gRPC and gRPC-Web: a trailers-only answer, status in the headers.
    const answer = {
      ...headers,
      "content-type": contentType.startsWith("application/grpc-web") ? "application/grpc-web+proto" : "application/grpc",
      "grpc-status": String(code),
      "grpc-message": encodeURIComponent(message),
    };
    // Over HTTP/2 the headers frame itself must end the stream: res.end() would add an empty DATA frame, and
    // gRPC clients then read the headers as leading headers and the answer as "closed without trailers".
    const stream = (res as unknown as Partial<Http2ServerResponse>).stream;
    if (stream) {
      stream.respond({ ":status": 200, ...answer }, { endStream: true });
      return;
    }
    res.writeHead(200, answer);
    res.end();
    return;
  }
  sendJson(res, httpStatusOf(code), { code: connectCodeName(code), message }, headers);
}

/** One of the contract's reasons to an RPC request: its code and words, in the caller's protocol. */
export function sendRpcReason(req: IncomingMessage, res: ServerResponse, reason: ErrorReason, headers: Record<string, string> = {}): void {
  sendRpcError(req, res, reasonFacts(reason).code as number as Code, reasonMessage(reason), headers);
}
