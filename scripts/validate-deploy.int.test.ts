// scripts/validate-deploy.sh against the committed deployment files (every check passes), and against a
// broken copy (each kind of mistake is caught); the committed env files against the production guard.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { productionProblems } from "../services/shared/src/production-guard.ts";

const root = path.resolve(import.meta.dirname, "..");

function validate(env: Record<string, string> = {}) {
  const run = spawnSync("bash", [path.join(root, "scripts/validate-deploy.sh")], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 240_000,
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path.join(root, file), "utf8").split("\n")) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1] as string] = m[2] as string;
  }
  return env;
}

test("the committed deployment files pass every check", () => {
  const { status, out } = validate();
  expect(out).toMatch(/validate-deploy: 11 passed, 0 failed/);
  expect(out).toMatch(/PASS Kubernetes manifests: rolling updates with maxUnavailable 0, preStop, startup probes/);
  expect(out).toMatch(/PASS compose files match the Compose Specification schema/);
  expect(out).toMatch(/PASS Kubernetes manifests match the Kubernetes [\d.]+ schemas, strictly/);
  expect(out).toMatch(/PASS compose: Redpanda requires SASL over TLS[^\n]*\n\s+3 principals/);
  expect(out).toMatch(/PASS \.env\.example and docs\/deploy\.md document every variable[^\n]*\n\s+[1-9]\d* variables read by the code/);
  expect(status).toBe(0);
}, 300_000);

test("a broken copy fails, naming each mistake", () => {
  const copy = mkdtempSync(path.join(tmpdir(), "validate-deploy-"));
  try {
    // Everything the checks read (sources included, without installed or built files), so that only the
    // mistakes made below can fail.
    const skip = /(^|\/)(node_modules|dist|\.data|\.tools)(\/|$)/;
    const items = [
      "docker-compose.yml",
      "docker-compose.dev.yml",
      "docker-compose.prod.yml",
      ".env",
      ".env.example",
      ".env.dev",
      ".env.prod",
    ];
    for (const item of [
      ...items,
      "deploy",
      ".github",
      "docs",
      "proto",
      "services",
      "gateway",
      "web",
      "package.json",
      "package-lock.json",
    ]) {
      cpSync(path.join(root, item), path.join(copy, item), {
        recursive: true,
        filter: (source) => !skip.test(path.relative(root, source)),
      });
    }
    const edit = (file: string, from: string | RegExp, to: string) => {
      const target = path.join(copy, file);
      const text = readFileSync(target, "utf8");
      const next = text.replace(from, to);
      expect(next).not.toBe(text);
      writeFileSync(target, next);
    };
    // A field Kubernetes does not know, a key the Compose Specification does not know, a variable the
    // production env file forgets, a plain `docker compose up` that would miss the dev override, a
    // Dockerfile that copies a file that is not there, a service that reaches Kafka as nobody in particular,
    // and two rollouts that would lose requests (a pod taken down before its replacement, a grace period
    // shorter than the drain).
    edit("deploy/k8s/30-auth.yaml", "  revisionHistoryLimit: 5\n", "  revisionHistoryLimit: 5\n  replicaCount: 3\n");
    edit("docker-compose.yml", "  postgres:\n    image:", "  postgres:\n    restart_policy: always\n    image:");
    edit(".env.prod", /^FRIENDSHIP_DB_PASSWORD=.*\n/m, "");
    edit(".env", /^COMPOSE_FILE=.*$/m, "COMPOSE_FILE=docker-compose.yml");
    edit(
      "deploy/docker/profile.Dockerfile",
      "COPY services/profile/src services/profile/src",
      "COPY services/profile/source services/profile/src",
    );
    edit("deploy/k8s/30-friendship.yaml", "maxUnavailable: 0", "maxUnavailable: 1");
    edit("deploy/k8s/30-profile.yaml", "terminationGracePeriodSeconds: 45", "terminationGracePeriodSeconds: 20");

    edit("docker-compose.yml", /^ {6}KAFKA_SASL_USERNAME: friendship\n/m, "");

    const { status, out } = validate({ DEPLOY_ROOT: copy });
    expect(status).not.toBe(0);
    expect(out).toMatch(/FAIL Kubernetes manifests[^\n]*\n[\s\S]*replicaCount/);
    expect(out).toMatch(/FAIL compose files match the Compose Specification schema[^\n]*\n[\s\S]*restart_policy/);
    expect(out).toMatch(/\$\{FRIENDSHIP_DB_PASSWORD\} has no default and is not set in \.env\.prod/);
    expect(out).toMatch(/\.env: COMPOSE_FILE must be docker-compose\.yml:docker-compose\.dev\.yml \(docker compose up\)/);
    expect(out).toMatch(/profile\.Dockerfile: COPY services\/profile\/source: no such file/);
    expect(out).toMatch(/friendship: KAFKA_SASL_USERNAME None is not a principal of deploy\/kafka\/service-acls\.txt/);
    expect(out).toMatch(/Deployment friendship: a rollout must keep every pod until its replacement is ready/);
    expect(out).toMatch(/Deployment profile: terminationGracePeriodSeconds 20 < preStop 10 s \+ drain 20 s \+ 5 s to stop/);
    expect(out).toMatch(/validate-deploy: \d+ passed, 6 failed/);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}, 300_000);

test("production refuses the committed .env.prod until its placeholders are replaced", () => {
  const prod = readEnvFile(".env.prod");
  expect(prod.ENVIRONMENT).toBe("prod");
  const problems = productionProblems(prod);
  for (const name of [
    "SIGNING_KEY_ENCRYPTION_KEY",
    "SMTP_PASSWORD",
    "POSTGRES_PASSWORD",
    "AUTH_DB_PASSWORD",
    "PROFILE_DB_PASSWORD",
    "FRIENDSHIP_DB_PASSWORD",
    "KAFKA_ADMIN_PASSWORD",
    "AUTH_KAFKA_PASSWORD",
    "PROFILE_KAFKA_PASSWORD",
    "FRIENDSHIP_KAFKA_PASSWORD",
  ]) {
    expect(problems.some((p) => p.startsWith(`${name} `))).toBe(true);
  }
  // The same file with real values (as an operator's shell environment would give them) passes.
  const real = Object.fromEntries(
    Object.entries(prod).map(([k, v]) => [
      k,
      v.startsWith("CHANGE_ME")
        ? k === "SIGNING_KEY_ENCRYPTION_KEY"
          ? Buffer.alloc(32, 9).toString("base64")
          : `real-${k.length}-Xq7vLm2`
        : v,
    ]),
  );
  expect(productionProblems(real)).toEqual([]);
});

test("`docker compose up` is development; `--env-file .env.prod` is production", () => {
  expect(readEnvFile(".env")).toMatchObject({ ENVIRONMENT: "dev", COMPOSE_FILE: "docker-compose.yml:docker-compose.dev.yml" });
  expect(readEnvFile(".env.prod")).toMatchObject({ ENVIRONMENT: "prod", COMPOSE_FILE: "docker-compose.yml:docker-compose.prod.yml" });
});

test("the development env files cannot run in production", () => {
  const problems = productionProblems({ ...readEnvFile(".env"), ...readEnvFile(".env.dev"), ENVIRONMENT: "prod" });
  expect(problems.some((p) => p.startsWith("MAIL_TRANSPORT=dev"))).toBe(true);
  expect(problems.some((p) => p.startsWith("POSTGRES_PASSWORD "))).toBe(true);
  expect(problems.some((p) => p.startsWith("AUTH_DB_PASSWORD "))).toBe(true);
  expect(problems.some((p) => p.startsWith("AUTH_KAFKA_PASSWORD "))).toBe(true);
  expect(problems.some((p) => p.startsWith("KAFKA_ADMIN_PASSWORD "))).toBe(true);
});
