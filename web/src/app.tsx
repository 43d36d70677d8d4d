import type { Transport } from "@connectrpc/connect";
import { TransportProvider } from "@connectrpc/connect-query";
import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { ApiClients } from "./api/clients.ts";
import { AppServicesProvider } from "./app-context.tsx";
import type { Session, SignedOutReason } from "./auth/session.ts";
import { SessionProvider, useSessionState } from "./auth/session-context.tsx";
import { ErrorBoundary } from "./components/error-boundary.tsx";
import { NavBar } from "./components/nav-bar.tsx";
import type { AppConfig } from "./config.ts";
import { DevMailboxPage } from "./pages/dev-mailbox-page.tsx";
import { DirectoryPage } from "./pages/directory-page.tsx";
import { ForgotPasswordPage } from "./pages/forgot-password-page.tsx";
import { FriendsPage } from "./pages/friends-page.tsx";
import { LoginPage } from "./pages/login-page.tsx";
import { NotFoundPage } from "./pages/not-found-page.tsx";
import { ProfilePage } from "./pages/profile-page.tsx";
import { RegisterPage } from "./pages/register-page.tsx";
import { ResetPasswordPage } from "./pages/reset-password-page.tsx";
import { SecurityPage } from "./pages/security-page.tsx";
import { VerifyEmailPage } from "./pages/verify-email-page.tsx";
import { type Route, useHashRoute } from "./routing/hash-route.ts";

export type AppProps = {
  /** The Connect transport (with the bearer interceptor); tests hand in an in-memory one. */
  transport: Transport;
  clients: ApiClients;
  session: Session;
  config: AppConfig;
  queryClient?: QueryClient;
};

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: 1, refetchOnWindowFocus: true, staleTime: 5_000 },
      mutations: { retry: false },
    },
  });
}

export function App(props: AppProps) {
  const [queryClient] = useState(() => props.queryClient ?? createQueryClient());
  return (
    <TransportProvider transport={props.transport}>
      <QueryClientProvider client={queryClient}>
        <SessionProvider session={props.session}>
          <Shell clients={props.clients} config={props.config} />
        </SessionProvider>
      </QueryClientProvider>
    </TransportProvider>
  );
}

const PUBLIC_ROUTES = new Set<Route["name"]>(["login", "register", "verify", "dev-mail", "forgot-password", "reset"]);

function Shell({ clients, config }: { clients: ApiClients; config: AppConfig }) {
  const state = useSessionState();
  const [route, navigate] = useHashRoute();
  const queryClient = useQueryClient();
  const services = useMemo(() => ({ clients, config, navigate }), [clients, config, navigate]);
  const signedIn = state.status === "signed-in";

  // Nothing of one user's data may outlive their session in this tab.
  useEffect(() => {
    if (state.status === "signed-out") queryClient.clear();
  }, [state.status, queryClient]);

  // Signed-in users have no business on the login and register screens.
  useEffect(() => {
    if (signedIn && (route.name === "login" || route.name === "register")) navigate("profile");
  }, [signedIn, route.name, navigate]);

  return (
    <AppServicesProvider value={services}>
      <NavBar route={route.name} />
      <main className="main">
        {state.status === "restoring" ? (
          <p className="loading" role="status">
            Restoring your session…
          </p>
        ) : (
          <ErrorBoundary key={route.name}>
            <Screen route={route} signedIn={signedIn} reason={state.status === "signed-out" ? state.reason : undefined} />
          </ErrorBoundary>
        )}
      </main>
    </AppServicesProvider>
  );
}

function Screen({ route, signedIn, reason }: { route: Route; signedIn: boolean; reason?: SignedOutReason | undefined }) {
  const [, navigate] = useHashRoute();
  if (!signedIn && !PUBLIC_ROUTES.has(route.name)) {
    // Protected screen without a session: log in here, then the screen asked for appears.
    return <LoginPage reason={reason} onSignedIn={() => undefined} />;
  }
  switch (route.name) {
    case "login":
      return <LoginPage reason={reason} onSignedIn={() => navigate("profile")} />;
    case "register":
      return <RegisterPage />;
    case "verify":
      return <VerifyEmailPage params={route.params} />;
    case "dev-mail":
      return <DevMailboxPage params={route.params} />;
    case "profile":
      return <ProfilePage params={route.params} />;
    case "directory":
      return <DirectoryPage params={route.params} />;
    case "friends":
      return <FriendsPage />;
    case "forgot-password":
      return <ForgotPasswordPage params={route.params} />;
    case "reset":
      return <ResetPasswordPage params={route.params} />;
    case "security":
      return <SecurityPage params={route.params} />;
    default:
      return <NotFoundPage />;
  }
}
