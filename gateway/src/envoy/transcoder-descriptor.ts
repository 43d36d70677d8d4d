// The descriptor set Envoy's gRPC-JSON transcoder loads: the contract's own, with two adjustments that
// Envoy needs and the contract must not (REST clients keep the DRF paths and shapes):
//  - path templates lose their trailing slash. The google.api.http template grammar
//    (`Segments = Segment { "/" Segment }`) has no empty last segment, and Envoy refuses to start with
//    "Cannot register '...' to path matcher". The Lua filter strips the slash from the request path of the
//    REST routes before the transcoder sees it (gateway-lua.ts), and only REST routes reach the transcoder.
//  - `response_body` is dropped: Envoy 1.40 refuses it for non-HttpBody fields ("Setting response_body is not
//    supported yet for non-HttpBody fields"). The same Lua filter unwraps that field from the JSON answer.
import { fromBinary, getExtension, setExtension, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { http } from "@identity/proto/google/api/annotations_pb.js";
import type { HttpRule } from "@identity/proto/google/api/http_pb.js";

export function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

function adjust(rule: HttpRule): void {
  const { pattern } = rule;
  if (pattern.case !== undefined && pattern.case !== "custom") pattern.value = withoutTrailingSlash(pattern.value);
  rule.responseBody = "";
  for (const extra of rule.additionalBindings) adjust(extra);
}

/** Reads the contract's descriptor set (bytes) and returns the transcoder's. */
export function transcoderDescriptor(contractDescriptorSet: Uint8Array): Uint8Array {
  const set = fromBinary(FileDescriptorSetSchema, contractDescriptorSet);
  for (const file of set.file) {
    for (const service of file.service) {
      for (const method of service.method) {
        if (!method.options) continue;
        const rule = getExtension(method.options, http);
        if (rule.pattern.case === undefined) continue;
        adjust(rule);
        setExtension(method.options, http, rule);
      }
    }
  }
  return toBinary(FileDescriptorSetSchema, set);
}
