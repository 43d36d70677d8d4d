// Requests from a chosen loopback source address (127.x.y.z): every attack of the suite comes from client
// addresses of its own, so it neither spends nor is spent by the budget of the other tests (all from
// 127.0.0.1), and a rerun within a throttle window starts fresh. Both gateways count the TCP peer as the
// client (no trusted proxy hops): Envoy with use_remote_address, the embedded gateway from its socket.
import http from "node:http";
import https from "node:https";

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field by the tests.
  body: any;
}

/** A fresh random loopback address (Linux routes all of 127.0.0.0/8 to the loopback interface). */
export function freshLoopbackAddress(): string {
  const byte = () => 1 + Math.floor(Math.random() * 253);
  return `127.${100 + Math.floor(Math.random() * 100)}.${byte()}.${byte()}`;
}

const agents = new Map<string, http.Agent>();
/** One kept-alive connection per source address: what a browser does, and timing without TCP set-up noise. */
function agentFor(baseUrl: URL, localAddress: string): http.Agent {
  const key = `${baseUrl.protocol}${localAddress}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 1, localAddress };
    agent = baseUrl.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

/** Closes the kept-alive connections. */
export function closeConnections(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

/**
 * POSTs JSON to `baseUrl + path` from `localAddress`, with an optional bearer token. `keepAlive` reuses one
 * connection per address (requests from it then go one at a time); otherwise each request has its own.
 */
export function postFrom(
  baseUrl: string,
  localAddress: string,
  path: string,
  body: unknown,
  token?: string,
  keepAlive = false,
): Promise<Reply> {
  const url = new URL(path, baseUrl);
  const payload = JSON.stringify(body);
  const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": Buffer.byteLength(payload) };
  if (token) headers.authorization = `Bearer ${token}`;
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const agent = keepAlive ? agentFor(url, localAddress) : false;
    const req = request(url, { method: "POST", headers, localAddress, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = text;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** The google.rpc.ErrorInfo reason of an error answer. */
export function reasonOf(reply: Reply): string | undefined {
  return reply.body?.details?.find((d: { "@type": string }) => d["@type"] === "type.googleapis.com/google.rpc.ErrorInfo")?.reason;
}
