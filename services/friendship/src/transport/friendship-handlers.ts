// FriendshipService over Connect/gRPC: the verified caller and the request in, the use case's answer out.
// Validation (uuids, status and action values, page sizes) already ran from the contract's rules.
import type { ServiceImpl } from "@connectrpc/connect";
import type { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { requireCaller } from "@identity/shared/auth/caller.ts";
import { setHttpStatus } from "@identity/shared/rpc/http-status.ts";
import type { FriendshipUseCases } from "../application/use-cases.ts";
import type { FriendshipAction } from "../domain/friendship.ts";
import { friendshipMessage } from "./friendship-messages.ts";

export function friendshipHandlers(useCases: FriendshipUseCases): ServiceImpl<typeof FriendshipService> {
  return {
    async createFriendRequest(req, ctx) {
      const result = await useCases.createFriendRequest(requireCaller(ctx), req.addresseeId);
      // The contract's 201 is for a new request; accepting the addressee's pending one answers 200.
      if (!result.created) setHttpStatus(ctx, 200);
      return { friendship: friendshipMessage(result.friendship) };
    },
    async listFriendships(req, ctx) {
      const page = await useCases.listFriendships(requireCaller(ctx).userId, req.status as "" | "requested" | "accepted", req);
      return { friendships: page.friendships.map(friendshipMessage), nextPageToken: page.nextPageToken };
    },
    async listReceivedFriendRequests(req, ctx) {
      const page = await useCases.listReceivedFriendRequests(requireCaller(ctx).userId, req);
      return { friendships: page.friendships.map(friendshipMessage), nextPageToken: page.nextPageToken };
    },
    async respondToFriendRequest(req, ctx) {
      const friendship = await useCases.respondToFriendRequest(requireCaller(ctx), req.id, req.action as FriendshipAction);
      return { friendship: friendshipMessage(friendship) };
    },
    async deleteFriendship(req, ctx) {
      await useCases.deleteFriendship(requireCaller(ctx), req.id);
      return {};
    },
  };
}
