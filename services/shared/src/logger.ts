// JSON logs (pino), one line per event, with the service name and, inside a request, its request id.
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

/** `destination`: where the lines go (standard output unless given; tests capture them). */
export function createLogger(service: string, level = "info", destination?: DestinationStream): Logger {
  const options: import("pino").LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Defence in depth: whatever a caller logs, these never reach the log.
    redact: {
      paths: [
        "password",
        "*.password",
        "refresh",
        "*.refresh",
        "access",
        "*.access",
        "authorization",
        "*.authorization",
        "code",
        "*.code",
        "token",
        "*.token",
      ],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that writes nothing: for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
