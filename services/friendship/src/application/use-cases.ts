// What the handlers and the event consumer call: the friendship service's use cases, one per file beside
// this one, each built by definition.ts from only the dependencies it declares.
import type { ApplyProfileUpdated } from "./apply-profile-updated.ts";
import type { ApplyUserDeleted } from "./apply-user-deleted.ts";
import type { ApplyUserRegistered } from "./apply-user-registered.ts";
import type { CheckFriendship } from "./check-friendship.ts";
import type { CreateFriendRequest } from "./create-friend-request.ts";
import type { DeleteFriendship } from "./delete-friendship.ts";
import type { ListFriendships, ListReceivedFriendRequests } from "./list-friendships.ts";
import type { RespondToFriendRequest } from "./respond-to-friend-request.ts";

export interface FriendshipUseCases {
  createFriendRequest: CreateFriendRequest;
  respondToFriendRequest: RespondToFriendRequest;
  deleteFriendship: DeleteFriendship;
  listFriendships: ListFriendships;
  listReceivedFriendRequests: ListReceivedFriendRequests;
  checkFriendship: CheckFriendship;
  /** The effects of the replica's events, inside the consumer's transaction (which also records the event id). */
  applyUserRegistered: ApplyUserRegistered;
  applyProfileUpdated: ApplyProfileUpdated;
  applyUserDeleted: ApplyUserDeleted;
}
