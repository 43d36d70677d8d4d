// Configuration comes only from the environment, is parsed once at start-up by the composition root, and
// fails fast naming every variable that is missing or malformed (not just the first).

export type Environment = "dev" | "prod";

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

interface Options<T> {
  /** Used when the variable is unset. */
  default?: T;
  /** Used when unset and ENVIRONMENT=dev; in prod the variable is then required. */
  devDefault?: T;
  /** A secret: never echoed in error messages. */
  secret?: boolean;
}

/**
 * A typed reader over an environment. Each read records problems instead of throwing, so that `done()` can
 * report all of them at once.
 */
export class EnvReader {
  readonly environment: Environment;
  private readonly env: Record<string, string | undefined>;
  private readonly problems: string[] = [];

  constructor(env: Record<string, string | undefined> = process.env) {
    this.env = env;
    const environment = env.ENVIRONMENT ?? "dev";
    if (environment !== "dev" && environment !== "prod") {
      this.problems.push(`ENVIRONMENT must be "dev" or "prod" (got "${environment}")`);
      this.environment = "prod";
    } else {
      this.environment = environment;
    }
  }

  private raw<T>(name: string, opts: Options<T>): string | T | undefined {
    const value = this.env[name];
    if (value !== undefined && value !== "") return value;
    if (opts.default !== undefined) return opts.default;
    if (this.environment === "dev" && opts.devDefault !== undefined) return opts.devDefault;
    this.problems.push(`${name} is required${this.environment === "prod" ? " in production" : ""}`);
    return undefined;
  }

  string(name: string, opts: Options<string> = {}): string {
    return String(this.raw(name, opts) ?? "");
  }

  optionalString(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value === "" ? undefined : value;
  }

  int(name: string, opts: Options<number> & { min?: number; max?: number } = {}): number {
    const value = this.raw(name, opts);
    if (value === undefined) return 0;
    const n = typeof value === "number" ? value : Number(value);
    if (!Number.isInteger(n) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      this.problems.push(
        `${name} must be an integer${opts.min !== undefined ? ` >= ${opts.min}` : ""}${opts.max !== undefined ? ` <= ${opts.max}` : ""}${opts.secret ? "" : ` (got "${value}")`}`,
      );
      return 0;
    }
    return n;
  }

  bool(name: string, opts: Options<boolean> = {}): boolean {
    const value = this.raw(name, opts);
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "1") return true;
    if (value === "false" || value === "0") return false;
    if (value !== undefined) this.problems.push(`${name} must be true or false (got "${value}")`);
    return false;
  }

  list(name: string, opts: Options<string[]> = {}): string[] {
    const value = this.raw(name, opts);
    if (value === undefined) return [];
    return Array.isArray(value)
      ? value
      : value
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
  }

  oneOf<const T extends string>(name: string, choices: readonly T[], opts: Options<T> = {}): T {
    const value = this.raw(name, opts);
    if (value !== undefined && !choices.includes(value as T)) {
      this.problems.push(`${name} must be one of ${choices.join(", ")} (got "${value}")`);
    }
    return value as T;
  }

  /** Durations as `300`, `300s`, `5m`, `1h`, `1d`; returned in seconds. */
  seconds(name: string, opts: Options<string> = {}): number {
    const value = this.raw(name, opts);
    if (value === undefined) return 0;
    const match = /^(\d+)\s*(s|m|h|d)?$/.exec(String(value));
    if (!match) {
      this.problems.push(`${name} must be a duration such as 300s, 5m, 1h or 1d (got "${value}")`);
      return 0;
    }
    const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(match[2] ?? "s") as "s" | "m" | "h" | "d"];
    return Number(match[1]) * unit;
  }

  /** Records a problem found by a caller's own cross-field check. */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** Throws a ConfigError listing every problem, if any. */
  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

/** What every service reads: where it listens, its database, its event bus, TLS and token verification. */
export interface CommonConfig {
  environment: Environment;
  serviceName: string;
  logLevel: string;
  rpcPort: number;
  opsPort: number;
  databaseUrl: string;
  eventBus: "kafka" | "memory";
  kafkaBrokers: string[];
  tls: { certFile: string; keyFile: string; caFile: string; allowedPeerSans: string[] } | undefined;
  jwt: { issuer: string; audiences: string[] };
}

export function readCommonConfig(
  env: EnvReader,
  serviceName: string,
  defaults: { rpcPort: number; opsPort: number; database: string },
): CommonConfig {
  const certFile = env.optionalString("TLS_CERT_FILE");
  const keyFile = env.optionalString("TLS_KEY_FILE");
  const caFile = env.optionalString("TLS_CA_FILE");
  const anyTls = certFile || keyFile || caFile;
  if (anyTls && !(certFile && keyFile && caFile)) env.problem("TLS_CERT_FILE, TLS_KEY_FILE and TLS_CA_FILE go together");
  if (env.environment === "prod" && !anyTls)
    env.problem("TLS_CERT_FILE, TLS_KEY_FILE and TLS_CA_FILE are required in production (mutual TLS)");
  return {
    environment: env.environment,
    serviceName,
    logLevel: env.oneOf("LOG_LEVEL", ["debug", "info", "warn", "error"], { default: "info" }),
    rpcPort: env.int("RPC_PORT", { default: defaults.rpcPort, min: 0, max: 65535 }),
    opsPort: env.int("OPS_PORT", { default: defaults.opsPort, min: 0, max: 65535 }),
    databaseUrl: env.string("DATABASE_URL", {
      devDefault: `postgres://identity:identity@127.0.0.1:55432/${defaults.database}`,
      secret: true,
    }),
    eventBus: env.oneOf("EVENT_BUS", ["kafka", "memory"], { default: "kafka" }),
    kafkaBrokers: env.list("KAFKA_BROKERS", { devDefault: ["localhost:9092"] }),
    tls:
      certFile && keyFile && caFile
        ? {
            certFile,
            keyFile,
            caFile,
            allowedPeerSans: env.list("TLS_ALLOWED_PEER_SANS", { default: ["envoy.identity.internal"] }),
          }
        : undefined,
    jwt: {
      issuer: env.string("JWT_ISSUER", { default: "identity-platform" }),
      audiences: env.list("JWT_AUDIENCES", { default: ["react-frontend"] }),
    },
  };
}
