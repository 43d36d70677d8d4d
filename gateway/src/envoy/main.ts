// Writes envoy.yaml (and the transcoder's descriptor set beside the paths it names) from the contract and
// the environment. Usage: node gateway/src/envoy/main.ts [--out FILE]   (run from the repository root:
// the paths inside the configuration are relative to Envoy's working directory).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { optionsFromEnv } from "./options-from-env.ts";
import { renderEnvoyConfig } from "./render.ts";
import { contractDescriptorPath, toYaml } from "./to-yaml.ts";
import { transcoderDescriptor } from "./transcoder-descriptor.ts";

const { values } = parseArgs({ options: { out: { type: "string", default: "envoy.yaml" } } });
const options = optionsFromEnv();
const out = values.out as string;

writeFileSync(out, toYaml(renderEnvoyConfig(options)));
mkdirSync(dirname(options.transcoderDescriptor), { recursive: true });
writeFileSync(options.transcoderDescriptor, transcoderDescriptor(readFileSync(contractDescriptorPath)));
console.log(`envoy: wrote ${out} and ${options.transcoderDescriptor}`);
