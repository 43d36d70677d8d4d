// The ports each service process listens on when nothing is configured (the development stack's, as
// docs/architecture.md lists them): the services' defaults, Envoy's default upstreams and the stack suites
// read them here. Replica k of `npm run stack` adds 100·(k-1) to both.
import type { Owner } from "@identity/proto/contract";

export interface ServicePorts {
  /** gRPC/Connect over mTLS. */
  rpcPort: number;
  /** Health, readiness and metrics, plain HTTP. */
  opsPort: number;
}

export const defaultPorts: Readonly<Record<Owner, ServicePorts>> = {
  auth: { rpcPort: 50051, opsPort: 9101 },
  profile: { rpcPort: 50052, opsPort: 9102 },
  friendship: { rpcPort: 50053, opsPort: 9103 },
};
