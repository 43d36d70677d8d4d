// Compression of static files (the web app and the API docs), for the embedded gateway; behind Envoy the
// static server leaves it to Envoy's compressor (gateway/src/envoy/compression.ts), which uses the same list.
// Only responses marked with allowCompression() are compressed: the gateway marks its static routes, never
// an API answer, since those carry tokens next to text a client can reflect (BREACH).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Transform } from "node:stream";
import zlib from "node:zlib";

/** What is worth compressing: text. Images and fonts are compressed already. */
export const compressibleContentTypes = [
  "text/html",
  "text/css",
  "text/javascript",
  "application/javascript",
  "application/json",
  "image/svg+xml",
  "text/plain",
  "application/manifest+json",
];
/** Smaller bodies are not worth it. */
export const compressionMinBytes = 1024;

export type ContentEncoding = "br" | "gzip";

const allowed = new WeakSet<ServerResponse>();

/** Lets sendFile compress this response (a static file route of the embedded gateway). */
export function allowCompression(res: ServerResponse): void {
  allowed.add(res);
}

/** The encodings the client accepts (q > 0), from its Accept-Encoding header. */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name && (q === undefined || Number(q) > 0)) accepted.add(name);
  }
  return accepted;
}

/** Whether this response is compressed for clients that accept it (it then varies on Accept-Encoding). */
export function mayCompress(res: ServerResponse, contentType: string, size: number): boolean {
  return allowed.has(res) && size >= compressionMinBytes && compressibleContentTypes.some((type) => contentType.startsWith(type));
}

/** How to encode this response, or undefined to send it as it is: brotli first, then gzip. */
export function chooseEncoding(req: IncomingMessage, res: ServerResponse, contentType: string, size: number): ContentEncoding | undefined {
  if (!mayCompress(res, contentType, size)) return undefined;
  const accepted = acceptedEncodings(req.headers["accept-encoding"]);
  if (accepted.has("br")) return "br";
  if (accepted.has("gzip")) return "gzip";
  return undefined;
}

export function encoderFor(encoding: ContentEncoding): Transform {
  return encoding === "br" ? zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }) : zlib.createGzip();
}
