// CPU time and resident memory of the processes under test, read from /proc: utime + stime are what
// process.cpuUsage() reports inside a Node process (both come from the kernel's per-process accounting),
// and reading them from outside covers Envoy too, with the same clock.
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

export interface Watched {
  label: string;
  pid: number;
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return kb ? Number(kb) / 1024 : 0;
}

/**
 * Proportional set size: RSS with each shared page divided among the processes mapping it. About 58 MB of a
 * Node service's RSS is the node binary's text, the same pages in every Node process of the machine.
 */
export function pssMb(pid: number): number {
  const kb = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1];
  return kb ? Number(kb) / 1024 : 0;
}

export const totalCpu = (pids: readonly number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);

/** Samples the RSS of `watched` every second until stopped; keeps each one's peak. */
export function rssSampler(watched: readonly Watched[]) {
  const peak = new Map<string, number>(watched.map((w) => [w.label, 0]));
  const sample = () => {
    for (const w of watched) {
      try {
        peak.set(w.label, Math.max(peak.get(w.label) ?? 0, rssMb(w.pid)));
      } catch {
        // the process is gone: its last peak stays
      }
    }
  };
  sample();
  const timer = setInterval(sample, 1000);
  return {
    peak,
    now: () => new Map(watched.map((w) => [w.label, rssMb(w.pid)])),
    pssNow: () => new Map(watched.map((w) => [w.label, pssMb(w.pid)])),
    stop: () => clearInterval(timer),
  };
}
