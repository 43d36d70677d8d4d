// The API documentation, the same behind Envoy (served by static-server-main.ts) and in the embedded
// gateway: `/openapi.json` (generated from the protos, proto/gen/openapi.json), Swagger UI at `/swagger/`
// and ReDoc at `/redoc/`. The UIs' files come from their npm packages (swagger-ui-dist, redoc), never from
// copies in this repository; the two small HTML pages that load them are written here, with no inline
// script, so a strict Content-Security-Policy holds.

import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isDocsPath } from "./docs-paths.ts";
import { resolveInside, sendFile } from "./static-files.ts";

const require = createRequire(import.meta.url);
const swaggerDir = path.dirname(require.resolve("swagger-ui-dist/package.json"));
const redocBundle = path.join(path.dirname(require.resolve("redoc/package.json")), "bundles", "redoc.standalone.js");
const openApiFile = fileURLToPath(import.meta.resolve("@identity/proto/openapi.json"));

const title = "Identity platform API";

const swaggerPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title} - Swagger UI</title>
<link rel="stylesheet" href="./swagger-ui.css">
<link rel="icon" type="image/png" href="./favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="./swagger-ui-bundle.js"></script>
<script src="./swagger-ui-standalone-preset.js"></script>
<script src="./init.js"></script>
</body>
</html>
`;

const swaggerInit = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  plugins: [SwaggerUIBundle.plugins.DownloadUrl],
  layout: "StandaloneLayout",
});
`;

const redocPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title} - ReDoc</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="./redoc.standalone.js"></script>
</body>
</html>
`;

/** Swagger UI's own files that its page loads. */
const swaggerFiles = new Set([
  "swagger-ui.css",
  "swagger-ui-bundle.js",
  "swagger-ui-standalone-preset.js",
  "favicon-16x16.png",
  "favicon-32x32.png",
  "oauth2-redirect.html",
  "oauth2-redirect.js",
]);

function sendText(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-cache", "content-length": Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

/**
 * Answers the documentation's paths; resolves false for any other path (or method), sending nothing.
 * Only GET and HEAD are served.
 */
export async function serveDocs(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const head = req.method === "HEAD";
  const urlPath = (req.url ?? "/").split("?")[0] ?? "/";
  switch (urlPath) {
    case "/openapi.json":
      return sendFile(req, res, openApiFile, { cacheControl: "no-cache" });
    case "/swagger":
    case "/redoc":
      res.writeHead(301, { location: `${urlPath}/` }).end();
      return true;
    case "/swagger/":
    case "/swagger/index.html":
      sendText(res, 200, "text/html; charset=utf-8", swaggerPage, head);
      return true;
    case "/swagger/init.js":
      sendText(res, 200, "text/javascript; charset=utf-8", swaggerInit, head);
      return true;
    case "/redoc/":
    case "/redoc/index.html":
      sendText(res, 200, "text/html; charset=utf-8", redocPage, head);
      return true;
    case "/redoc/redoc.standalone.js":
      return sendFile(req, res, redocBundle, { cacheControl: "public, max-age=86400" });
  }
  if (urlPath.startsWith("/swagger/")) {
    const name = urlPath.slice("/swagger/".length);
    const file = swaggerFiles.has(name) ? resolveInside(swaggerDir, name) : undefined;
    if (file) return sendFile(req, res, file, { cacheControl: "public, max-age=86400" });
  }
  return false;
}

/** Whether a path belongs to the documentation (so that the web app's fallback never answers it). */
export { isDocsPath };
