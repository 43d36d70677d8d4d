// The OpenAPI 3.1 document of every RPC that has a google.api.http rule. RPCs without one (service-to-
// service lookups) have no REST form and are left out.
import type { DescFile, DescMessage, DescMethod, DescService, Registry } from "@bufbuild/protobuf";
import { getComments } from "@bufbuild/protoplugin";
import type { ReasonFacts } from "../../src/reason-facts.ts";
import { summaryOf, toDescription } from "./comments.ts";
import { errorResponses, STATUS_SCHEMA, STATUS_SCHEMA_NAME } from "./error-responses.ts";
import { type HttpBinding, httpBindingsOf, openApiPath, pathParameterNames } from "./http-rule.ts";
import type { JsonObject } from "./json-schema.ts";
import { SchemaBook } from "./message-schemas.ts";
import { type MethodPolicy, methodPolicyOf, reasonFactsOf } from "./method-policy.ts";

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
  serverUrl: string;
}

interface Operation {
  service: DescService;
  method: DescMethod;
  binding: HttpBinding;
  /** 0 for the rule itself, 1.. for its additional bindings. */
  bindingIndex: number;
  policy: MethodPolicy;
  description: string;
}

const VERB_ORDER = ["get", "put", "post", "delete", "patch"];

const REASON_PHRASES: Readonly<Record<number, string>> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No Content",
};

export function buildOpenApiDocument(registry: Registry, files: readonly DescFile[], info: DocumentInfo): JsonObject {
  const sortedFiles = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const operations: Operation[] = [];
  const services: DescService[] = [];
  const reasons = reasonFactsOf(registry);
  for (const file of sortedFiles) {
    for (const service of file.services) {
      let served = false;
      for (const method of service.methods) {
        const bindings = httpBindingsOf(method, registry);
        const policy = methodPolicyOf(method, registry, reasons);
        const description = toDescription(getComments(method).leading);
        bindings.forEach((binding, bindingIndex) => {
          operations.push({ service, method, binding, bindingIndex, policy, description });
        });
        served ||= bindings.length > 0;
      }
      if (served) services.push(service);
    }
  }

  // First every use of every message, so that component names are settled; then the operations.
  const book = new SchemaBook();
  for (const op of operations) recordUses(book, op);

  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const op of operations) {
    const path = openApiPath(op.binding.path);
    paths[path] ??= {};
    (paths[path] as Record<string, JsonObject>)[op.binding.verb] = operationObject(book, op, reasons);
  }
  for (const path of Object.keys(paths)) {
    const item = paths[path] as Record<string, JsonObject>;
    paths[path] = Object.fromEntries(VERB_ORDER.filter((v) => v in item).map((v) => [v, item[v] as JsonObject]));
  }

  const schemas: JsonObject = { ...book.components(), [STATUS_SCHEMA_NAME]: STATUS_SCHEMA };
  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.serverUrl }],
    tags: services.map((s): JsonObject => {
      const description = toDescription(getComments(s).leading);
      return description ? { name: s.name, description } : { name: s.name };
    }),
    paths: paths as JsonObject,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "An access token from /api/auth/login/ or /api/auth/register/ (never a refresh token).",
        },
      },
    },
  };
}

function recordUses(book: SchemaBook, op: Operation): void {
  const { input, output } = op.method;
  const bound = pathParameterNames(op.binding.path).map((p) => p.split(".")[0] as string);
  if (op.binding.body === "*") book.useBody(input, bound);
  else if (op.binding.body !== "") {
    const bodyField = input.fields.find((f) => f.name === op.binding.body);
    if (bodyField?.message) book.use(bodyField.message, "input");
  }
  const response = responseMessage(op.binding, output);
  if (response) book.use(response, "output");
}

function operationObject(book: SchemaBook, op: Operation, reasons: readonly ReasonFacts[]): JsonObject {
  const { service, method, binding, policy, description } = op;
  const input = method.input;
  const pathNames = pathParameterNames(binding.path);
  const pathFields = new Set(pathNames.map((p) => p.split(".")[0] as string));

  const parameters: JsonObject[] = [];
  for (const name of pathNames) {
    const field = input.fields.find((f) => f.name === name);
    const schema = field ? book.fieldSchema(field, "input") : { type: "string" };
    parameters.push(parameter(name, "path", true, schema));
  }
  if (binding.body !== "*") {
    for (const field of input.fields) {
      if (pathFields.has(field.name) || field.name === binding.body) continue;
      const isScalar = field.fieldKind === "scalar" || field.fieldKind === "enum";
      const isScalarList = field.fieldKind === "list" && field.listKind !== "message";
      if (!isScalar && !isScalarList) continue; // messages cannot travel in a query string
      parameters.push(parameter(field.name, "query", book.isRequiredInput(field), book.fieldSchema(field, "input")));
    }
  }

  if (policy.idempotencyKey) parameters.push(IDEMPOTENCY_KEY_PARAMETER);

  const operation: JsonObject = {
    operationId: `${service.name}_${method.name}${op.bindingIndex > 0 ? `_${op.bindingIndex}` : ""}`,
    tags: [service.name],
  };
  const summary = summaryOf(description);
  if (summary) operation.summary = summary;
  if (description) operation.description = description;
  if (parameters.length > 0) operation.parameters = parameters;

  const bodySchema = requestBodySchema(book, binding, input, [...pathFields]);
  if (bodySchema) {
    operation.requestBody = {
      // Both gateways read a missing body as `{}` only where the body has no fields (LogoutAll): there it
      // is optional; where it has fields, no body at all is 400.
      required: binding.body !== "*" || input.fields.some((f) => !pathFields.has(f.name)),
      description: "JSON with the proto field names shown (lowerCamelCase names are accepted too); unknown fields are rejected.",
      content: { "application/json": { schema: bodySchema } },
    };
  }

  const responses: JsonObject = {};
  const response = responseMessage(binding, method.output);
  const successContent = response ? { "application/json": { schema: book.ref(response, "output") } } : undefined;
  const alternatives = policy.alternativeStatuses;
  const successStatuses = new Set([policy.successStatus, ...alternatives.keys()]);
  for (const status of [...successStatuses].sort((a, b) => a - b)) {
    const phrase = REASON_PHRASES[status] ?? "Success";
    const when = alternatives.get(status);
    const entry: JsonObject = { description: when ? `${phrase}: ${when}` : phrase };
    if (policy.idempotencyKey) entry.headers = { "Idempotent-Replayed": IDEMPOTENT_REPLAYED_HEADER };
    if (successContent) entry.content = successContent;
    responses[String(status)] = entry;
  }
  Object.assign(
    responses,
    errorResponses({
      access: policy.access,
      hasInput: input.fields.length > 0,
      hasBody: bodySchema !== undefined,
      idempotencyKey: policy.idempotencyKey,
      declared: policy.errors,
      reasons,
    }),
  );
  operation.responses = responses;

  if (policy.access === "ACCESS_USER") operation.security = [{ bearerAuth: [] }];
  // OpenAPI's way of saying "a token or none": the empty requirement.
  if (policy.access === "ACCESS_USER_OPTIONAL") operation.security = [{ bearerAuth: [] }, {}];
  if (policy.access !== "ACCESS_UNSPECIFIED") {
    operation["x-access"] = policy.access.replace(/^ACCESS_/, "").toLowerCase();
  }
  return operation;
}

function requestBodySchema(book: SchemaBook, binding: HttpBinding, input: DescMessage, pathFields: string[]): JsonObject | undefined {
  if (binding.body === "") return undefined;
  if (binding.body === "*") return book.bodyRef(input, pathFields);
  const field = input.fields.find((f) => f.name === binding.body);
  return field ? book.fieldSchema(field, "input") : undefined;
}

/** The message a successful answer's body holds: the response, or its `response_body` field's message. */
function responseMessage(binding: HttpBinding, output: DescMessage): DescMessage | undefined {
  if (binding.responseBody === "") return output;
  return output.fields.find((f) => f.name === binding.responseBody)?.message;
}

/** The contract's policy option `idempotency_key` (services/shared/src/idempotency). */
const IDEMPOTENCY_KEY_PARAMETER: JsonObject = {
  name: "Idempotency-Key",
  in: "header",
  description:
    "Makes a retry safe: a request with the same key (and the same body) from the same caller within 24 hours answers the first result again instead of acting twice. Use a new random value (a UUID) per intended action, and the same value when retrying it.",
  required: false,
  schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7E]+$" },
};

const IDEMPOTENT_REPLAYED_HEADER: JsonObject = {
  description: "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
  schema: { type: "string", enum: ["true"] },
};

function parameter(name: string, where: "path" | "query", required: boolean, schema: JsonObject): JsonObject {
  const { description, ...rest } = schema;
  const out: JsonObject = { name, in: where };
  if (typeof description === "string" && description !== "") out.description = description;
  out.required = required;
  out.schema = rest;
  return out;
}
