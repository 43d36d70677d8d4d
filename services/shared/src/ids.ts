// IDs are UUID v7: time-ordered, so that primary-key indexes stay compact and ids sort by creation.
import { uuidv7 } from "uuidv7";

export const newId = (): string => uuidv7();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
