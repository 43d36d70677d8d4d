// The web app's build (`vite build` -> web/dist): its files, and index.html for the app's own client-side
// routes (/login, /friends...), i.e. a GET that accepts HTML and names no file. API paths never fall back
// to the app: a typo in a REST path answers 404 JSON, not a page.
import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { resolveInside, sendFile } from "./static-files.ts";

export interface WebApp {
  /** Resolves false (sending nothing) when the path is not the app's. */
  serve(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  built(): boolean;
}

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Identity platform</title></head>
<body><h1>The web app is not built</h1>
<p>Run <code>npm run build -w @identity/web</code> (or restart <code>npm start</code>, which builds it).
The API, <a href="/swagger/">Swagger UI</a> and <a href="/redoc/">ReDoc</a> work meanwhile.</p></body></html>
`;

export function wantsHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? "";
  return accept.includes("text/html") || accept.includes("*/*");
}

export function createWebApp(distDir: string, isApiPath: (urlPath: string) => boolean): WebApp {
  const root = path.resolve(distDir);
  const index = path.join(root, "index.html");
  const built = () => existsSync(index);
  return {
    built,
    async serve(req, res) {
      if (req.method !== "GET" && req.method !== "HEAD") return false;
      const urlPath = (req.url ?? "/").split("?")[0] ?? "/";
      if (isApiPath(urlPath)) return false;
      if (!built()) {
        if (urlPath !== "/" && !(wantsHtml(req) && path.extname(urlPath) === "")) return false;
        res.writeHead(503, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(notBuiltPage);
        return true;
      }
      const file = urlPath === "/" ? index : resolveInside(root, urlPath);
      if (file && (await sendFile(req, res, file))) return true;
      // Client-side routes: no extension, an HTML-accepting GET. A missing asset stays a 404.
      if (path.extname(urlPath) === "" && wantsHtml(req)) return sendFile(req, res, index, { cacheControl: "no-cache" });
      return false;
    },
  };
}

/** Paths that belong to the API and the operations endpoints, never to the web app. */
export const isApiPath = (urlPath: string): boolean =>
  urlPath.startsWith("/api/") ||
  urlPath === "/api" ||
  urlPath.startsWith("/identity.") ||
  urlPath.startsWith("/grpc.") ||
  urlPath.startsWith("/.well-known/") ||
  urlPath === "/healthz" ||
  urlPath === "/readyz";
