// Production is chosen, never defaulted into: no compose file falls back to ENVIRONMENT=dev, and the
// production override sets ENVIRONMENT=prod for every service that reads it.
import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

test("no compose file gives ENVIRONMENT a default: an unset ENVIRONMENT stops compose with a message", () => {
  for (const file of ["docker-compose.yml", "docker-compose.dev.yml", "docker-compose.prod.yml"]) {
    expect([file, read(file).match(/\$\{ENVIRONMENT:?-[^}]*\}/g)]).toEqual([file, null]);
  }
  expect(read("docker-compose.yml")).toMatch(/\$\{ENVIRONMENT:\?[^}]+\}/);
});

test("the production override sets ENVIRONMENT=prod on every service of ours", () => {
  const prod = read("docker-compose.prod.yml");
  expect(prod).toMatch(/x-prod-environment: &prod-environment\n\s+ENVIRONMENT: prod\n/);
  for (const service of ["auth", "profile", "friendship", "web"]) {
    expect([service, new RegExp(`\\n  ${service}:\\n(    .*\\n)*?    environment: \\*prod-environment\\n`).test(prod)]).toEqual([
      service,
      true,
    ]);
  }
});
