// FriendGraphService.CheckFriendship: are two users friends (accepted), for the platform's other backends.
import type { MikroORM } from "@mikro-orm/postgresql";
import { areFriends } from "../persistence/friendship.repository.ts";

export interface CheckFriendshipDeps {
  orm: MikroORM;
}

export type CheckFriendship = (userId: string, otherUserId: string) => Promise<boolean>;

export function checkFriendship(deps: CheckFriendshipDeps): CheckFriendship {
  return (userId, otherUserId) => areFriends(deps.orm.em.fork(), userId, otherUserId);
}
