// protoc-gen-openapi: one CodeGeneratorRequest in, one file out (openapi.json), for every file to
// generate together (run it with `strategy: all`).
import { readFileSync } from "node:fs";
import { create, createFileRegistry, type DescFile } from "@bufbuild/protobuf";
import {
  type CodeGeneratorRequest,
  type CodeGeneratorResponse,
  CodeGeneratorResponse_Feature,
  CodeGeneratorResponseSchema,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";
import type { Plugin } from "@bufbuild/protoplugin";
import { buildOpenApiDocument } from "./build-document.ts";

export const OUTPUT_FILE = "openapi.json";

// The API's version is the contract package's version.
const contractPackage = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export const openApiPlugin: Plugin = {
  name: "protoc-gen-openapi",
  version: contractPackage.version,
  run(request: CodeGeneratorRequest): CodeGeneratorResponse {
    // Source file descriptors keep source-retention options and comments; fall back to the plain ones.
    const protoFiles = request.protoFile.map((file) => request.sourceFileDescriptors.find((s) => s.name === file.name) ?? file);
    const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: protoFiles }));
    const files = request.fileToGenerate.map((name) => {
      const file = registry.getFile(name);
      if (!file) throw new Error(`${name} is to be generated but is not in the request`);
      return file;
    }) satisfies DescFile[];
    const document = buildOpenApiDocument(registry, files, {
      title: "Identity Platform API",
      version: contractPackage.version,
      description:
        "The REST surface of the identity platform, generated from the protos' google.api.http annotations. " +
        "JSON in and out; response field names are the proto field names. Errors are google.rpc.Status JSON.",
      serverUrl: "http://localhost:8080",
    });
    return create(CodeGeneratorResponseSchema, {
      supportedFeatures: BigInt(CodeGeneratorResponse_Feature.PROTO3_OPTIONAL),
      file: [{ name: OUTPUT_FILE, content: `${JSON.stringify(document, null, 2)}\n` }],
    });
  },
};
