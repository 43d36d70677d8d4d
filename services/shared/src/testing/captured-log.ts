// A real service logger (its redaction included) whose JSON lines a test can read: to prove that an event
// writes its line, and that no secret reaches the log.
import { createLogger, type Logger } from "../logger.ts";

export interface CapturedLog {
  logger: Logger;
  /** Every line written so far, parsed. */
  lines(): Record<string, unknown>[];
  /** The security log's lines, optionally of one event. */
  securityLines(event?: string): Record<string, unknown>[];
  /** Everything written, for "this secret appears nowhere" checks. */
  raw(): string;
}

export function createCapturedLog(service = "test"): CapturedLog {
  const chunks: string[] = [];
  const logger = createLogger(service, "info", { write: (line: string) => void chunks.push(line) });
  const lines = () =>
    chunks
      .join("")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    logger,
    lines,
    securityLines: (event) => lines().filter((l) => l.log === "security" && (event === undefined || l.event === event)),
    raw: () => chunks.join(""),
  };
}
