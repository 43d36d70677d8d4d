// Usernames, addresses and mail recipients compare case-insensitively, as their functional indexes do
// (`lower(column)`): a filter the entity manager runs with the index's own expression, so the index is used.
import { type FilterQuery, raw } from "@mikro-orm/core";

export function sameIgnoringCase<T>(column: string, value: string): FilterQuery<T> {
  return { [raw(`lower(${column})`)]: raw("lower(?)", [value]) } as FilterQuery<T>;
}
