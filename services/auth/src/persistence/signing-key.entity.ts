import { defineEntity, p } from "@mikro-orm/core";

/** A signing key: next (published, not signing) -> current (signing) -> retired (published) -> removed (deleted). */
export const SigningKeyEntity = defineEntity({
  name: "SigningKey",
  tableName: "signing_key",
  // At most one current and one next key, whatever replicas rotate at once.
  indexes: [
    {
      name: "signing_key_one_current",
      expression: "create unique index signing_key_one_current on signing_key (state) where state = 'current'",
    },
    { name: "signing_key_one_next", expression: "create unique index signing_key_one_next on signing_key (state) where state = 'next'" },
  ],
  checks: [{ name: "signing_key_state_check", expression: "state in ('next', 'current', 'retired')" }],
  properties: {
    kid: p.text().primary(),
    state: p.text(),
    publicJwk: p.json<Record<string, string>>().fieldName("public_jwk"),
    /** AES-256-GCM: iv (12) || tag (16) || ciphertext of the PKCS#8 DER, the kid as additional data. */
    privateKey: p.blob().$type<Buffer>().fieldName("private_key").hidden(),
    createdAt: p.datetime().fieldName("created_at"),
    activatedAt: p.datetime().nullable().fieldName("activated_at"),
    retiredAt: p.datetime().nullable().fieldName("retired_at"),
    removeAfter: p.datetime().nullable().fieldName("remove_after"),
  },
});
