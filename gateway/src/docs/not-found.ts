// The 404 the platform answers itself (no route, no page), as google.rpc.Status JSON: Envoy's local reply
// (envoy/render.ts), the embedded gateway (embedded/replies.ts) and the web and docs server say the same
// words. It lives here because the web image ships only this folder of the gateway.
import { Code } from "@connectrpc/connect";

export const notFoundStatus = (): { code: number; message: string; details: never[] } => ({
  code: Code.NotFound,
  message: "Not found.",
  details: [],
});
