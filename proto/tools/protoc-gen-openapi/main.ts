// Entry point buf runs (buf.gen.yaml): `node proto/tools/protoc-gen-openapi/main.ts`.
import { runNodeJs } from "@bufbuild/protoplugin";
import { openApiPlugin } from "./plugin.ts";

runNodeJs(openApiPlugin);
