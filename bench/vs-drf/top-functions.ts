// The top functions of a V8 CPU profile (`node --cpu-prof`) by self time, as a share of the busy time (idle
// and the program/GC pseudo-frames are listed separately). Usage: node bench/vs-drf/top-functions.ts FILE.cpuprofile [N]
import { readFileSync } from "node:fs";
import { basename } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, count = "25"] = process.argv.slice(2);
if (!file) throw new Error("usage: top-functions.ts FILE.cpuprofile [N]");
const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let total = 0;
let idle = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  const frame = byId.get(id)?.callFrame;
  const name = frame?.functionName || "(anonymous)";
  if (name === "(idle)") {
    idle += dt;
    return;
  }
  total += dt;
  const where = frame?.url ? `${basename(frame.url)}:${frame.lineNumber + 1}` : "";
  const key = `${name} ${where}`.trim();
  self.set(key, (self.get(key) ?? 0) + dt);
});
console.log(`busy ${(total / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s`);
for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
}
