// gRPC server reflection (grpc.reflection.v1 and its predecessor v1alpha, which tools such as grpcurl,
// Postman and Kreya still try first), answered from the contract's descriptor set (proto/gen/descriptor.binpb):
// what the server offers, and each file with the files it imports, so a client needs no .proto file.
// No npm package serves reflection for connect-node; the protocol is small (docs/reflection.md).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  create,
  createFileRegistry,
  type DescFile,
  type DescService,
  type FileRegistry,
  fromBinary,
  type MessageInitShape,
  toBinary,
} from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { isExposed, routes } from "@identity/proto/contract";
import * as v1 from "@identity/proto/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "@identity/proto/grpc/reflection/v1alpha/reflection_pb.js";
import type { Environment } from "../config.ts";

export const reflectionServiceNames = [v1.ServerReflection.typeName, v1alpha.ServerReflection.typeName];

/**
 * Set by the gateways on the reflection requests they forward: `list` then names what the gateway exposes
 * (every service with an RPC reachable from outside), not only the one service that happens to answer, and
 * the services the gateway does not expose are not described.
 */
export const gatewayViewHeader = "x-identity-reflection";

export function gatewayServices(environment: Environment): string[] {
  const exposed = routes.filter((r) => isExposed(r, environment));
  return [...new Set(exposed.map((r) => r.service.typeName)), ...reflectionServiceNames].sort();
}

let contractRegistry: FileRegistry | undefined;
/** The contract's files, from the generated descriptor set (read once). */
export function contractFiles(): FileRegistry {
  contractRegistry ??= createFileRegistry(
    fromBinary(FileDescriptorSetSchema, readFileSync(createRequire(import.meta.url).resolve("@identity/proto/descriptor.binpb"))),
  );
  return contractRegistry;
}

type Request = v1.ServerReflectionRequest | v1alpha.ServerReflectionRequest;
type Answer = MessageInitShape<typeof v1.ServerReflectionResponseSchema>;

/** The file and every file it imports, transitively, the file first (as grpc-go's reflection sends them). */
function withDependencies(file: DescFile): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  const visit = (f: DescFile) => {
    if (seen.has(f.name)) return;
    seen.add(f.name);
    out.push(toBinary(FileDescriptorProtoSchema, f.proto));
    f.dependencies.forEach(visit);
  };
  visit(file);
  return out;
}

/** The file that declares a fully-qualified name (a type, a service, a method or a field), unless hidden. */
function fileOfSymbol(files: FileRegistry, symbol: string, listed: readonly string[]): DescFile | undefined {
  // A method or a field is found through its service or message.
  const found = files.get(symbol) ?? files.get(symbol.slice(0, Math.max(0, symbol.lastIndexOf("."))));
  if (!found) return undefined;
  if (found.kind === "service" && !listed.includes(found.typeName)) return undefined;
  return found.file;
}

const notFound = (message: string): Answer["messageResponse"] => ({
  case: "errorResponse",
  value: { errorCode: 5, errorMessage: message },
});

export function answerReflection(files: FileRegistry, listed: () => readonly string[], request: Request): Answer {
  const { messageRequest: q } = request;
  let messageResponse: Answer["messageResponse"];
  if (q.case === "listServices") {
    messageResponse = { case: "listServicesResponse", value: { service: listed().map((name) => ({ name })) } };
  } else if (q.case === "fileByFilename") {
    const file = files.getFile(q.value);
    messageResponse = file
      ? { case: "fileDescriptorResponse", value: { fileDescriptorProto: withDependencies(file) } }
      : notFound(`file not found: ${q.value}`);
  } else if (q.case === "fileContainingSymbol") {
    const file = fileOfSymbol(files, q.value, listed());
    messageResponse = file
      ? { case: "fileDescriptorResponse", value: { fileDescriptorProto: withDependencies(file) } }
      : notFound(`symbol not found: ${q.value}`);
  } else if (q.case === "fileContainingExtension") {
    const ext = files.getExtensionFor(files.getMessage(q.value.containingType) ?? ({} as never), q.value.extensionNumber);
    messageResponse = ext
      ? { case: "fileDescriptorResponse", value: { fileDescriptorProto: withDependencies(ext.file) } }
      : notFound(`extension not found: ${q.value.containingType} ${q.value.extensionNumber}`);
  } else if (q.case === "allExtensionNumbersOfType") {
    const message = files.getMessage(q.value);
    const numbers: number[] = [];
    if (message) for (const d of files) if (d.kind === "extension" && d.extendee.typeName === message.typeName) numbers.push(d.number);
    messageResponse = message
      ? { case: "allExtensionNumbersResponse", value: { baseTypeName: q.value, extensionNumber: numbers } }
      : notFound(`type not found: ${q.value}`);
  } else {
    messageResponse = { case: "errorResponse", value: { errorCode: 3, errorMessage: "no request" } };
  }
  // v1 and v1alpha requests have the same fields; create() copies them into the answer's own schema.
  return {
    validHost: request.host,
    originalRequest: request as MessageInitShape<typeof v1.ServerReflectionRequestSchema>,
    messageResponse,
  };
}

/**
 * Serves reflection on this router, v1 and v1alpha alike. `list` names the services of this router (this
 * server's own), or, for a gateway (gatewayViewHeader), those the gateway exposes.
 */
export function registerReflection(router: ConnectRouter, environment: Environment): void {
  const files = contractFiles();
  const own = () => [...new Set(router.handlers.map((h) => h.service.typeName))].sort();
  const gateway = gatewayServices(environment);
  const listed = (header: Headers) => (header.get(gatewayViewHeader) === "gateway" ? gateway : own());
  const serve = (
    service: DescService,
    schema: typeof v1.ServerReflectionResponseSchema | typeof v1alpha.ServerReflectionResponseSchema,
  ) => {
    router.service(service as typeof v1.ServerReflection, {
      async *serverReflectionInfo(requests, ctx) {
        const names = () => listed(ctx.requestHeader);
        for await (const request of requests) {
          yield create(schema as typeof v1.ServerReflectionResponseSchema, answerReflection(files, names, request));
        }
      },
    });
  };
  serve(v1.ServerReflection, v1.ServerReflectionResponseSchema);
  serve(v1alpha.ServerReflection, v1alpha.ServerReflectionResponseSchema);
}
