// Reads a topic as an independent Kafka client does: Debian's kcat, from the beginning to the current end.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { kafkaBrokers } from "./stack.ts";

const run = promisify(execFile);

export interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  /** kcat -J: a flat list [name, value, name, value, ...]. */
  headers?: string[];
}

/** Every message of the topic, from the beginning to its current end, as kcat -J prints them (one JSON per line). */
export async function readTopicWithKcat(topic: string): Promise<KcatMessage[]> {
  const { stdout } = await run("kcat", ["-C", "-b", kafkaBrokers, "-t", topic, "-J", "-e", "-o", "beginning", "-q"], {
    timeout: 30_000,
    maxBuffer: 256 * 1024 * 1024,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") throw new Error("kcat is not installed: run `bash scripts/components/kcat.sh install`");
    throw error;
  });
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as KcatMessage);
}

export const headersOf = (message: KcatMessage): Record<string, string> => {
  const flat = message.headers ?? [];
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) headers[flat[i] as string] = flat[i + 1] as string;
  return headers;
};
