// The gateway a contract suite talks to: GATEWAY_URL when set (Envoy on the stack, or anything else that
// claims the REST surface), otherwise the embedded platform started here on port 0 with in-memory databases.
// Both must be configured alike for the rate-limit test: RATE_LIMIT_AUTH_REQUESTS (default 60, the default
// of both gateways) is the per-client, per-route limit of AuthService routes that the suite expects.
import { silentLogger } from "@identity/shared/logger.ts";
import { embeddedOptionsFromEnv } from "../../src/embedded/options.ts";
import { type EmbeddedPlatform, startEmbeddedPlatform } from "../../src/embedded/platform.ts";

export interface GatewayUnderTest {
  url: string;
  /** Requests per period allowed on one AuthService route for one client. */
  authRateLimit: number;
  embedded: EmbeddedPlatform | undefined;
  stop(): Promise<void>;
}

export const authRateLimit = Number(process.env.RATE_LIMIT_AUTH_REQUESTS || 60);

export async function startGatewayUnderTest(env: Record<string, string> = {}): Promise<GatewayUnderTest> {
  const external = process.env.GATEWAY_URL;
  if (external) return { url: external.replace(/\/$/, ""), authRateLimit, embedded: undefined, async stop() {} };
  const merged = {
    ...process.env,
    ENVIRONMENT: "dev",
    EMBEDDED_DATA_DIR: ":memory:",
    GATEWAY_LISTEN: "127.0.0.1:0",
    RATE_LIMIT_AUTH_REQUESTS: String(authRateLimit),
    ...env,
  };
  const options = embeddedOptionsFromEnv(merged);
  const embedded = await startEmbeddedPlatform(options, { env: merged, logger: () => silentLogger() });
  return { url: embedded.url, authRateLimit: options.rateLimits.auth.requests, embedded, stop: () => embedded.stop() };
}
