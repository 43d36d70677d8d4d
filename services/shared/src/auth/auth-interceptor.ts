// Authentication, written once for every service. The contract says who may call each RPC
// (identity.api.v1.policy); this interceptor enforces it and puts the verified caller in a context value.
// Services verify tokens even behind Envoy (defence in depth) and trust no identity header from outside.
// It throws DomainErrors: the error interceptor, outermost, maps them.
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { findRoute } from "@identity/proto/contract";
import type { Environment } from "../config.ts";
import { domainError, ErrorReason } from "../errors.ts";
import { peerSansKey } from "../rpc/request-context.ts";
import { type AccessTokenVerifier, bearerToken } from "./access-token-verifier.ts";
import { callerKey, type ServiceCaller, serviceCallerKey } from "./caller.ts";

/** Authenticates other backends (scoped API key, mesh certificate); undefined when the request has neither. */
export interface ServiceAuthenticator {
  authenticate(request: { header: Headers; rpcPath: string; peerSans: readonly string[] }): Promise<ServiceCaller | undefined>;
}

export interface AuthInterceptorOptions {
  verifier: AccessTokenVerifier;
  environment: Environment;
  services?: ServiceAuthenticator;
}

const publicGrpcServices = new Set([
  "grpc.health.v1.Health",
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
]);

export function createAuthInterceptor(options: AuthInterceptorOptions): Interceptor {
  return (next) => async (req) => {
    const route = findRoute(req.method);
    // Outside the contract only the gRPC health and reflection services are served, and they are public (the
    // contract is published anyway: OpenAPI, docs).
    if (!route) {
      if (publicGrpcServices.has(req.service.typeName)) return next(req);
      throw new ConnectError("not found", Code.NotFound);
    }
    switch (route.access) {
      case "public":
        return next(req);
      case "dev":
        if (options.environment !== "dev") throw new ConnectError("not found", Code.NotFound);
        return next(req);
      case "user_optional":
      case "user": {
        const authorization = req.header.get("authorization");
        // user_optional: anyone; a token, when one is sent, must be valid (as for user) and makes the caller known.
        if (route.access === "user_optional" && authorization === null) return next(req);
        const token = bearerToken(authorization);
        // As both gateways answer: no header at all is NOT_AUTHENTICATED, a header that is no bearer token is not valid.
        if (!token && authorization) throw domainError(ErrorReason.TOKEN_NOT_VALID);
        if (!token) throw domainError(ErrorReason.NOT_AUTHENTICATED);
        req.contextValues.set(callerKey, await options.verifier.verify(token));
        return next(req);
      }
      case "service": {
        const service = await options.services?.authenticate({
          header: req.header,
          rpcPath: route.rpcPath,
          peerSans: req.contextValues.get(peerSansKey),
        });
        if (!service) throw domainError(ErrorReason.SERVICE_CREDENTIALS_REQUIRED);
        req.contextValues.set(serviceCallerKey, service);
        return next(req);
      }
    }
  };
}
