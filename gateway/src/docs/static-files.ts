// Serves the files of one directory over HTTP: content types, conditional GETs, long caching for
// content-hashed files, and nothing outside the directory. Used for the web app's build and for the
// documentation's npm packages.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { chooseEncoding, encoderFor, mayCompress } from "./compression.ts";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

export const contentTypeOf = (file: string): string => contentTypes[path.extname(file).toLowerCase()] ?? "application/octet-stream";

/** A file name with a content hash (Vite's `index-3f9a1c2b.js`) never changes: it may be cached for a year. */
export const isHashedAsset = (file: string): boolean =>
  /[.-][A-Za-z0-9_-]{8,}\.(js|mjs|css|woff2?|svg|png|jpg|webp)$/.test(path.basename(file));

/** The file under `root` that a URL path names, or undefined when it would leave `root`. */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return file === root || file.startsWith(`${root}${path.sep}`) ? file : undefined;
}

export interface SendFileOptions {
  cacheControl?: string;
}

/** Sends a regular file; resolves false (sending nothing) when there is none. */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, options: SendFileOptions = {}): Promise<boolean> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch {
    return false;
  }
  if (!info.isFile()) return false;
  const type = contentTypeOf(file);
  const encoding = chooseEncoding(req, res, type, info.size);
  // Each encoding is its own representation, with its own validator.
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ""}"`;
  const cacheControl = options.cacheControl ?? (isHashedAsset(file) ? "public, max-age=31536000, immutable" : "no-cache");
  if (encoding) res.setHeader("content-encoding", encoding);
  if (mayCompress(res, type, info.size)) res.setHeader("vary", "accept-encoding");
  res.setHeader("content-type", type);
  res.setHeader("cache-control", cacheControl);
  res.setHeader("etag", etag);
  res.setHeader("last-modified", info.mtime.toUTCString());
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304).end();
    return true;
  }
  if (!encoding) res.setHeader("content-length", info.size);
  if (req.method === "HEAD") {
    res.writeHead(200).end();
    return true;
  }
  res.writeHead(200);
  const streams = encoding ? [createReadStream(file), encoderFor(encoding), res] : [createReadStream(file), res];
  // A read error or a client gone mid-way ends the response; nothing more to say to it.
  await pipeline(streams).catch(() => res.destroy());
  return true;
}
