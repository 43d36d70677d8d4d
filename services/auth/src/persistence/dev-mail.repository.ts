// The development mailbox's rows: a mail kept instead of sent, read back by address, newest first.
import { newId } from "@identity/shared/ids.ts";
import type { EntityManager } from "@mikro-orm/postgresql";
import { sameIgnoringCase } from "./case-insensitive.ts";
import { DevMailEntity } from "./dev-mail.entity.ts";

export type DevMailRow = InstanceType<typeof DevMailEntity.class>;

export async function insertDevMail(
  em: EntityManager,
  mail: { recipient: string; subject: string; body: string; sentAt: Date },
): Promise<void> {
  em.create(DevMailEntity, { id: newId(), ...mail });
  await em.flush();
}

/** The mails kept for one address (case-insensitive), newest first. */
export function findDevMailTo(em: EntityManager, recipient: string, limit: number): Promise<DevMailRow[]> {
  return em.find(DevMailEntity, sameIgnoringCase<DevMailRow>("recipient", recipient), {
    orderBy: { sentAt: "desc", id: "desc" },
    limit,
  });
}
