// The contract as data: every service of the platform, and every RPC with its REST mapping and access
// policy, read from the generated descriptors (google.api.http and identity.api.v1.policy options).
// The Envoy configuration, the embedded gateway, the services' auth interceptor and the docs all derive
// from this one table, so no route is ever written twice by hand.
import { type DescMethod, type DescService, getOption, hasOption } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { http } from "../gen/ts/google/api/annotations_pb.js";
import { Access, policy } from "../gen/ts/identity/api/v1/policy_pb.js";
import { AuthService } from "../gen/ts/identity/auth/v1/auth_pb.js";
import { DevMailService } from "../gen/ts/identity/dev/v1/dev_mail_pb.js";
import { FriendGraphService, FriendshipService } from "../gen/ts/identity/friendship/v1/friendship_pb.js";
import { ProfileService, UserLookupService } from "../gen/ts/identity/profile/v1/profile_pb.js";

/** `user_optional`: anyone; a token, when sent, must be valid and makes the caller known. */
export type AccessLevel = "public" | "user" | "user_optional" | "service" | "dev";
export type HttpVerb = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RestBinding {
  verb: HttpVerb;
  /** Path template as annotated, e.g. `/api/friendships/respond/{id}/` (trailing slash kept). */
  path: string;
  /** `*`, a field name, or "" for no body. */
  body: string;
  /** The response field that is the body, or "" for the whole response. */
  responseBody: string;
}

export interface ContractRoute {
  owner: Owner;
  service: DescService;
  method: DescMethod;
  /** `/identity.auth.v1.AuthService/Login`: the gRPC/Connect path. */
  rpcPath: string;
  access: AccessLevel;
  successStatus: number;
  rest: RestBinding | undefined;
  /**
   * Changes nothing (a GET binding, or `idempotency_level = NO_SIDE_EFFECTS`): the gateway may send it again
   * to another replica after an answer of UNAVAILABLE or a reset.
   */
  readOnly: boolean;
  /** Takes an `Idempotency-Key` header (policy option `idempotency_key`). */
  idempotencyKey: boolean;
}

/**
 * Every service, with the service process that owns it: the one place the platform's services are named.
 * `Owner` and `owners` are derived from it.
 */
export const services = [
  { owner: "auth", service: AuthService },
  { owner: "auth", service: DevMailService },
  { owner: "profile", service: ProfileService },
  { owner: "profile", service: UserLookupService },
  { owner: "friendship", service: FriendshipService },
  { owner: "friendship", service: FriendGraphService },
] as const satisfies ReadonlyArray<{ owner: string; service: DescService }>;

/** A service process of the platform (and its database, its cluster at the gateway). */
export type Owner = (typeof services)[number]["owner"];

/** The service processes, in contract order (auth first: the others verify tokens with its keys). */
export const owners: readonly Owner[] = [...new Set(services.map((s) => s.owner))];

const accessNames: Record<Access, AccessLevel | undefined> = {
  [Access.UNSPECIFIED]: undefined,
  [Access.PUBLIC]: "public",
  [Access.USER]: "user",
  [Access.SERVICE]: "service",
  [Access.DEV]: "dev",
  [Access.USER_OPTIONAL]: "user_optional",
};

/** The access policy of one RPC. An RPC without one is a contract bug: fail loudly at start-up. */
export function accessOf(method: DescMethod): { access: AccessLevel; successStatus: number; idempotencyKey: boolean } {
  const p = hasOption(method, policy) ? getOption(method, policy) : undefined;
  const access = p ? accessNames[p.access] : undefined;
  if (!p || !access) throw new Error(`${method.parent.typeName}.${method.name} has no identity.api.v1.policy`);
  return { access, successStatus: p.successStatus || 200, idempotencyKey: p.idempotencyKey };
}

function restOf(method: DescMethod): RestBinding | undefined {
  if (!hasOption(method, http)) return undefined;
  const rule = getOption(method, http);
  const { case: kind, value } = rule.pattern;
  if (kind === undefined || kind === "custom") return undefined;
  const verb = kind.toUpperCase() as HttpVerb;
  return { verb, path: value, body: rule.body, responseBody: rule.responseBody };
}

function isReadOnly(method: DescMethod, rest: RestBinding | undefined): boolean {
  return rest?.verb === "GET" || method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS;
}

export const routes: readonly ContractRoute[] = services.flatMap(({ owner, service }): ContractRoute[] =>
  service.methods.map((method) => {
    const rest = restOf(method);
    return {
      owner,
      service,
      method,
      rpcPath: `/${service.typeName}/${method.name}`,
      ...accessOf(method),
      rest,
      readOnly: isReadOnly(method, rest),
    };
  }),
);

/**
 * Whether an RPC is reachable from outside the platform, through either gateway: never a service-to-service
 * RPC (ACCESS_SERVICE); a development tool (ACCESS_DEV) only in the dev environment.
 */
export function isExposed(route: Pick<ContractRoute, "access">, environment: "dev" | "prod"): boolean {
  if (route.access === "service") return false;
  if (route.access === "dev") return environment === "dev";
  return true;
}

const byMethod = new Map(routes.map((r) => [r.method, r]));

/** The route of an RPC, or undefined for RPCs outside the contract (e.g. gRPC health). */
export function findRoute(method: DescMethod): ContractRoute | undefined {
  return byMethod.get(method);
}
