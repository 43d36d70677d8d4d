// Options for rendering in unit tests: fixed, no environment, no files needed.
import type { GatewayOptions } from "../../src/envoy/options.ts";
import { optionsFromEnv } from "../../src/envoy/options-from-env.ts";

export function testOptions(overrides: Partial<GatewayOptions> = {}): GatewayOptions {
  return { ...optionsFromEnv({}), ...overrides };
}
