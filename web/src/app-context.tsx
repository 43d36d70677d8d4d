import { createContext, type ReactNode, useContext } from "react";
import type { ApiClients } from "./api/clients.ts";
import type { AppConfig } from "./config.ts";
import type { RouteName } from "./routing/hash-route.ts";

export type AppServices = {
  clients: ApiClients;
  config: AppConfig;
  navigate: (name: RouteName, params?: Record<string, string>) => void;
};

const AppContext = createContext<AppServices | null>(null);

export function AppServicesProvider({ value, children }: { value: AppServices; children: ReactNode }) {
  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}

export function useAppServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error("useAppServices needs an AppServicesProvider");
  return services;
}
