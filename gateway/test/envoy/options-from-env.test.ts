import { optionsFromEnv } from "../../src/envoy/options-from-env.ts";

test("development defaults: loopback services on their RPC ports, dev CORS origins, the dev JWT issuer", () => {
  const o = optionsFromEnv({});
  expect(o.environment).toBe("dev");
  expect(o.services.auth).toEqual({ endpoints: [{ host: "127.0.0.1", port: 50051 }], san: "auth.identity.internal" });
  expect(o.services.friendship.endpoints).toEqual([{ host: "127.0.0.1", port: 50053 }]);
  expect(o.admin).toEqual({ host: "127.0.0.1", port: 9901 });
  expect(o.jwt).toEqual({ issuer: "identity-platform", audiences: ["react-frontend"], jwksCacheSeconds: 300 });
  expect(o.certs).toEqual({ ca: ".data/certs/ca.crt", cert: ".data/certs/envoy.crt", key: ".data/certs/envoy.key" });
});

test("every knob from the environment", () => {
  const o = optionsFromEnv({
    ENVIRONMENT: "prod",
    CORS_ALLOWED_ORIGINS: "https://a.example, https://b.example",
    JWT_ISSUER: "https://id.example",
    JWT_AUDIENCES: "web,mobile",
    GATEWAY_PROFILE_REPLICAS: "3",
    GATEWAY_AUTH_ENDPOINTS: "auth-1.internal:50051,auth-2.internal:50051",
    RATE_LIMIT_AUTH_REQUESTS: "5",
    CERTS_DIR: "/etc/identity/certs",
  });
  expect(o.environment).toBe("prod");
  expect(o.corsAllowedOrigins).toEqual(["https://a.example", "https://b.example"]);
  expect(o.jwt.audiences).toEqual(["web", "mobile"]);
  expect(o.services.profile.endpoints.map((e) => e.port)).toEqual([50052, 50152, 50252]);
  expect(o.services.auth.endpoints).toEqual([
    { host: "auth-1.internal", port: 50051 },
    { host: "auth-2.internal", port: 50051 },
  ]);
  expect(o.rateLimits.auth).toEqual({ requests: 5, periodSeconds: 60 });
  expect(o.certs.ca).toBe("/etc/identity/certs/ca.crt");
});

test("bad values fail fast, naming the variable", () => {
  expect(() => optionsFromEnv({ ENVIRONMENT: "staging" })).toThrow("ENVIRONMENT");
  expect(() => optionsFromEnv({ GATEWAY_AUTH_REPLICAS: "two" })).toThrow("GATEWAY_AUTH_REPLICAS");
  expect(() => optionsFromEnv({ GATEWAY_WEB: "nohost" })).toThrow("GATEWAY_WEB");
});
