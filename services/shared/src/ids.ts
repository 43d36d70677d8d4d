// IDs are UUID v7: time-ordered, so that primary-key indexes stay compact and ids sort by creation.
import { randomInt } from "node:crypto";
import { UUID as Uuid, uuidv7 } from "uuidv7";

export const newId = (): string => uuidv7();

/** A UUID v7 whose time is `at` (data brought over from elsewhere keeps sorting by when it was created). */
export const newIdAt = (at: Date): string =>
  Uuid.fromFieldsV7(Math.max(0, at.getTime()), randomInt(2 ** 12), randomInt(2 ** 30), randomInt(2 ** 32 - 1)).toString();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
