// The services never compress an answer, even a large one asked for with Accept-Encoding: answers carry tokens
// next to text a client can reflect (BREACH). The same handler serves the embedded gateway.
import http2 from "node:http2";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { registerUser, STRONG_PASSWORD, useAuth } from "./support.ts";

const harness = useAuth({ REGISTRATIONS_PER_CLIENT_LIMIT: "1000" });

test("a login answer (two tokens, over 1 KB) is sent uncompressed to a client that accepts gzip and br", async () => {
  const { username } = await registerUser(harness);
  const session = http2.connect(harness.baseUrl);
  const { headers, body } = await new Promise<{ headers: http2.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = session.request({
      ":method": "POST",
      ":path": `/${AuthService.typeName}/Login`,
      "content-type": "application/json",
      "accept-encoding": "gzip, br",
    });
    let answered: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    req.on("response", (h) => {
      answered = h;
    });
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve({ headers: answered, body: Buffer.concat(chunks).toString("utf8") }));
    req.on("error", reject);
    req.end(JSON.stringify({ username, password: STRONG_PASSWORD }));
  }).finally(() => session.close());
  expect(headers[":status"]).toBe(200);
  expect(headers["content-encoding"]).toBeUndefined();
  expect(body.length).toBeGreaterThan(1024); // connect-node's default threshold: it would have compressed this
  expect(JSON.parse(body)).toHaveProperty("access");
});
