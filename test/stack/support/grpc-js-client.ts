// @grpc/grpc-js clients for the contract's services. grpc-js needs a service definition with serializers;
// protobuf-es gives a DescService (the generated descriptors), so this adapter builds one from it: each
// method's path `/<package>.<Service>/<Method>` and binary (de)serialization with toBinary/fromBinary.
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { create, fromBinary, type MessageInitShape, type MessageShape, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { type ClientCert, platformCa } from "./certificates.ts";

// biome-ignore lint/suspicious/noExplicitAny: grpc-js definitions are untyped at this level; callUnary types each call.
type AnyMethodDefinition = grpc.MethodDefinition<any, any>;

export function grpcServiceDefinition(service: DescService): grpc.ServiceDefinition {
  const definition: Record<string, AnyMethodDefinition> = {};
  for (const method of service.methods) {
    definition[method.localName] = {
      path: `/${service.typeName}/${method.name}`,
      originalName: method.name,
      requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
      responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
      requestSerialize: (message) => Buffer.from(toBinary(method.input, message)),
      requestDeserialize: (bytes: Buffer) => fromBinary(method.input, bytes),
      responseSerialize: (message) => Buffer.from(toBinary(method.output, message)),
      responseDeserialize: (bytes: Buffer) => fromBinary(method.output, bytes),
    };
  }
  return definition;
}

export type GrpcTarget =
  /** Plaintext HTTP/2 (h2c), e.g. Envoy's listener. */
  | { address: string; plaintext: true }
  /** Mutual TLS to a service: its certificate's name is checked although we dial 127.0.0.1. */
  | { address: string; serverName: string; client?: ClientCert };

export function grpcClient(service: DescService, target: GrpcTarget): grpc.Client {
  const Constructor = grpc.makeGenericClientConstructor(grpcServiceDefinition(service), service.name);
  if ("plaintext" in target) return new Constructor(target.address, grpc.credentials.createInsecure());
  const credentials = grpc.credentials.createSsl(platformCa(), target.client?.key ?? null, target.client?.cert ?? null);
  return new Constructor(target.address, credentials, {
    "grpc.ssl_target_name_override": target.serverName,
    "grpc.default_authority": target.serverName,
  });
}

/** One unary call through the client's generated method, as a promise; rejects with the grpc-js ServiceError. */
export function callUnary<M extends DescMethod & { methodKind: "unary" }>(
  client: grpc.Client,
  method: M,
  request: MessageInitShape<M["input"]>,
  options: { metadata?: Record<string, string>; deadlineMs?: number } = {},
): Promise<MessageShape<M["output"]>> {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
  const call = (client as unknown as Record<string, UnaryFunction>)[method.localName];
  if (!call) throw new Error(`${method.parent.typeName} has no method ${method.localName} on this client`);
  return new Promise((resolve, reject) => {
    call.call(
      client,
      create(method.input, request),
      metadata,
      { deadline: Date.now() + (options.deadlineMs ?? 10_000) },
      (error, response) => (error ? reject(error) : resolve(response as MessageShape<M["output"]>)),
    );
  });
}

type UnaryFunction = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: unknown) => void,
) => grpc.ClientUnaryCall;
