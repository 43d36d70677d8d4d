// The gRPC health service (grpc.health.v1.Health/Check), answered from the module's readiness check, for
// Envoy's active health checks and Kubernetes' gRPC probes.
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus } from "@identity/proto/grpc/health/v1/health_pb.js";

export function registerHealth(router: ConnectRouter, checkReady: () => Promise<void>): void {
  router.service(Health, {
    async check() {
      const ready = await checkReady().then(
        () => true,
        () => false,
      );
      return { status: ready ? HealthCheckResponse_ServingStatus.SERVING : HealthCheckResponse_ServingStatus.NOT_SERVING };
    },
    // biome-ignore lint/correctness/useYield: streaming watch is not offered
    async *watch() {
      throw new ConnectError("watch is not supported", Code.Unimplemented);
    },
  });
}
