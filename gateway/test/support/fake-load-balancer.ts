// A load balancer for tests of the client address: forwards every request to the gateway, appending to
// X-Forwarded-For the address it "saw", which the test names per request with `x-test-client` (two simulated
// clients behind one balancer); without it, the real socket peer.
import http from "node:http";
import type { AddressInfo } from "node:net";

export async function fakeLoadBalancer(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const seen = String(req.headers["x-test-client"] ?? req.socket.remoteAddress);
    const headers = { ...req.headers };
    delete headers["x-test-client"];
    headers["x-forwarded-for"] = headers["x-forwarded-for"] ? `${headers["x-forwarded-for"]}, ${seen}` : seen;
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
