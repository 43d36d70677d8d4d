// Error reasons as data: the code and the words of every reason a client may see, read from the contract's
// identity.api.v1.reason_info option (proto/identity/api/v1/errors.proto). The services' errors, both
// gateways and the OpenAPI document take them from here, so a reason is worded once.
import { ErrorReason, ErrorReasonSchema, reason_info as reasonInfo } from "../gen/ts/identity/api/v1/errors_pb.js";
import { type ReasonFacts, readReasonFacts } from "./reason-facts.ts";

export type { ReasonFacts };
export { ErrorReason };

const byReason = new Map<ErrorReason, ReasonFacts>(readReasonFacts(ErrorReasonSchema, reasonInfo).map((f) => [f.reason, f]));

/** Every reason of the contract, in the contract's order. */
export const errorReasons: readonly ReasonFacts[] = [...byReason.values()];

export function reasonFacts(reason: ErrorReason): ReasonFacts {
  const facts = byReason.get(reason);
  if (!facts) throw new Error(`unknown error reason ${reason}`);
  return facts;
}

/** The reason a client sees, e.g. `TOKEN_NOT_VALID`. */
export const reasonName = (reason: ErrorReason): string => reasonFacts(reason).name;

export interface MessageChoice {
  /** One of the reason's `variants`; its main message otherwise. */
  variant?: string;
  /** Values for the message's `{name}` placeholders. */
  params?: Readonly<Record<string, string | number>>;
}

/** The message of a reason, worded as the contract says, placeholders filled. */
export function reasonMessage(reason: ErrorReason, choice: MessageChoice = {}): string {
  const facts = reasonFacts(reason);
  const template = choice.variant === undefined ? facts.message : facts.variants[choice.variant];
  if (template === undefined) throw new Error(`${facts.name} has no message variant "${choice.variant}"`);
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = choice.params?.[key];
    if (value === undefined) throw new Error(`${facts.name}: no value for {${key}}`);
    return String(value);
  });
}
