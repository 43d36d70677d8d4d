// What both gateways do with a static file (the web app, the docs): brotli when the client takes it, gzip
// when it takes only that, nothing otherwise, and the same content whichever way.
import { expect } from "@jest/globals";

/** A large script, well above both gateways' compression threshold. */
export const largeScript = `export const words = ${JSON.stringify(Array.from({ length: 4000 }, (_, i) => `word${i % 50}`))};\n`;

/** The path of the web app's bundle the suites serve `largeScript` at. */
export const scriptPath = "/assets/app-3f9a1c2b.js";

export async function expectCompressedAsAccepted(gatewayUrl: string, path: string, content: string): Promise<void> {
  const get = (acceptEncoding: string) => fetch(gatewayUrl + path, { headers: { "accept-encoding": acceptEncoding } });
  const br = await get("gzip, deflate, br");
  expect(br.headers.get("content-encoding")).toBe("br");
  expect(br.headers.get("vary")).toMatch(/accept-encoding/i);
  expect(await br.text()).toBe(content);

  const gzip = await get("gzip");
  expect(gzip.headers.get("content-encoding")).toBe("gzip");
  expect(await gzip.text()).toBe(content);

  const plain = await get("identity");
  expect(plain.headers.get("content-encoding")).toBeNull();
  expect(await plain.text()).toBe(content);
}
