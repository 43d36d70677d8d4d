// The test entry points: every stage of scripts/test.sh has its `npm run test:<stage>` and a line in the README,
// and a stage run alone starts nothing it does not need (the unit stage starts no component and no stack).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const testScript = readFileSync(path.join(root, "scripts/test.sh"), "utf8");
const stages = /^all_stages=\(([^)]*)\)/m.exec(testScript)?.[1]?.split(" ") ?? [];
const scripts = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

test("every stage has its npm script and README line; npm test runs them all", () => {
  expect(stages).toEqual(["static", "unit", "int", "web", "stack", "e2e"]);
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  for (const stage of stages) {
    expect(scripts[`test:${stage}`]).toBe(`bash scripts/test.sh ${stage}`);
    expect(readme).toContain(`npm run test:${stage}`);
  }
  expect(scripts.test).toBe("bash scripts/test.sh");
});

test("the unit stage alone runs jest's unit project and starts nothing else", () => {
  const results = mkdtempSync(path.join(tmpdir(), "test-entry-"));
  try {
    const run = spawnSync("bash", ["scripts/test.sh", "unit", "--testPathPatterns", "services/shared/src/pagination.test.ts"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, TEST_RESULTS_DIR: results },
      timeout: 120_000,
    });
    const out = `${run.stdout}${run.stderr}`;
    expect(out).toMatch(/=== unit/);
    expect(out).toMatch(/every stage green \(unit\)/);
    for (const other of ["static checks", "real components", "web components", "stack:", "browser"]) {
      expect(out).not.toContain(`=== ${other}`);
    }
    expect(run.status).toBe(0);
  } finally {
    rmSync(results, { recursive: true, force: true });
  }
}, 150_000);
