import type { Transport } from "@connectrpc/connect";
import { createSessionStorageStore, type RefreshTokenStore } from "../auth/refresh-token-store.ts";
import { createSession, type Session } from "../auth/session.ts";
import type { AppConfig } from "../config.ts";
import { type ApiClients, createApiClients } from "./clients.ts";
import { createApiTransport } from "./transport.ts";

export type AppWiring = {
  transport: Transport;
  clients: ApiClients;
  session: Session;
};

/**
 * The composition root of the browser app: one transport whose interceptor asks the session for the
 * access token, clients over it, and the session that refreshes through the same clients.
 */
export function wireApp(config: AppConfig, store: RefreshTokenStore = createSessionStorageStore()): AppWiring {
  let session: Session | undefined;
  const transport = createApiTransport({
    baseUrl: config.apiBaseUrl,
    accessToken: () => session?.accessTokenForCall() ?? Promise.resolve(undefined),
    // A refused access token: the session may have been ended elsewhere; the refresh finds out (and ends it here).
    onRefused: () => void session?.refresh(),
  });
  const clients = createApiClients(transport);
  session = createSession({ auth: clients.auth, store });
  return { transport, clients, session };
}
