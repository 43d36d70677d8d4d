// The `web` upstream of Envoy (gateway/src/envoy/clusters.ts): the API documentation (/openapi.json,
// /swagger/, /redoc/) and the web app's build, on plain HTTP at GATEWAY_WEB (default 127.0.0.1:8090). The
// embedded gateway serves the same pages with the same code (docs-site.ts, web-app.ts).
import http from "node:http";
import { createLogger } from "@identity/shared/logger.ts";
import { serveDocs } from "./docs-site.ts";
import { notFoundStatus } from "./not-found.ts";
import { setSecurityHeaders } from "./security-headers.ts";
import { createWebApp, isApiPath } from "./web-app.ts";

const log = createLogger("web", process.env.LOG_LEVEL ?? "info");
const listen = process.env.GATEWAY_WEB ?? "127.0.0.1:8090";
const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(listen);
if (!match) {
  log.fatal({ GATEWAY_WEB: listen }, "GATEWAY_WEB must be host:port");
  process.exit(1);
}
const webApp = createWebApp(process.env.WEB_DIST || "web/dist", isApiPath);

const notFound = JSON.stringify(notFoundStatus());

const server = http.createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
  setSecurityHeaders(res, (req.url ?? "/").split("?")[0]);
  const serve = async () => {
    if (await serveDocs(req, res)) return;
    if (await webApp.serve(req, res)) return;
    res.writeHead(404, { "content-type": "application/json", "cache-control": "no-store" }).end(notFound);
  };
  serve().catch((err: unknown) => {
    log.error({ err, path: req.url?.split("?")[0] }, "static server error");
    if (!res.headersSent)
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ code: 13, message: "internal error", details: [] }));
    else res.destroy();
  });
});
server.listen(Number(match[2]), match[1], () => log.info({ listen }, "web and docs server listening"));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
