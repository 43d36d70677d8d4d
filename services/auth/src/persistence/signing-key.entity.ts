import { defineEntity, p } from "@mikro-orm/core";

/** A signing key: next (published, not signing) -> current (signing) -> retired (published) -> removed (deleted). */
export const SigningKeyEntity = defineEntity({
  name: "SigningKey",
  tableName: "signing_key",
  properties: {
    kid: p.string().primary(),
    state: p.string(),
    publicJwk: p.json<Record<string, string>>().fieldName("public_jwk"),
    /** AES-256-GCM: iv (12) || tag (16) || ciphertext of the PKCS#8 DER, the kid as additional data. */
    privateKey: p.blob().fieldName("private_key").hidden(),
    createdAt: p.datetime().fieldName("created_at"),
    activatedAt: p.datetime().nullable().fieldName("activated_at"),
    retiredAt: p.datetime().nullable().fieldName("retired_at"),
    removeAfter: p.datetime().nullable().fieldName("remove_after"),
  },
});
