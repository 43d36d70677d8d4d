// Hosts one built service in this process, the way runStandalone() hosts it on its own ports (the service is
// built by the same shared buildService(): configuration, ORM and migrations, module, RPC handler with every
// platform interceptor). What differs is only where the handler is mounted: on a loopback port that only the
// embedded gateway calls.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { BuiltService } from "@identity/shared/server/build-service.ts";
import type { ServiceDefinition } from "@identity/shared/server/service-definition.ts";
import type { ServiceModule } from "@identity/shared/service-module.ts";

// biome-ignore lint/suspicious/noExplicitAny: definitions differ in their config type; hosting never reads it.
export type AnyDefinition = ServiceDefinition<any, ServiceModule>;

export interface HostedService extends BuiltService {
  /** `http://127.0.0.1:<port>`: the service's RPC handler, for the gateway's transcoded calls. */
  baseUrl: string;
  close(): Promise<void>;
}

/** Serves the service's RPC handler on loopback and starts its background work. */
export async function hostService(built: BuiltService): Promise<HostedService> {
  const server = http.createServer(built.handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  await built.start();
  const { port } = server.address() as AddressInfo;
  return {
    ...built,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await built.stop();
    },
  };
}
