// FriendshipService over Connect/gRPC: the verified caller and the request in, the application's answer
// out. Validation (uuids, status and action values, page sizes) already ran from the contract's rules.
import type { ServiceImpl } from "@connectrpc/connect";
import type { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { requireCaller } from "@identity/shared/auth/caller.ts";
import { setHttpStatus } from "@identity/shared/rpc/http-status.ts";
import type { FriendshipCommands } from "../application/friendship-commands.ts";
import type { FriendshipQueries } from "../application/friendship-queries.ts";
import type { FriendshipAction } from "../domain/friendship.ts";
import { toFriendship } from "./to-proto.ts";

export function createFriendshipServiceImpl(
  commands: FriendshipCommands,
  queries: FriendshipQueries,
): ServiceImpl<typeof FriendshipService> {
  return {
    async createFriendRequest(req, ctx) {
      const result = await commands.createFriendRequest(requireCaller(ctx), req.addresseeId);
      // The contract's 201 is for a new request; accepting the addressee's pending one answers 200.
      if (!result.created) setHttpStatus(ctx, 200);
      return { friendship: toFriendship(result.friendship) };
    },
    async listFriendships(req, ctx) {
      const page = await queries.listFriendships(requireCaller(ctx).userId, req.status as "" | "requested" | "accepted", req);
      return { friendships: page.friendships.map(toFriendship), nextPageToken: page.nextPageToken };
    },
    async listReceivedFriendRequests(req, ctx) {
      const page = await queries.listReceivedFriendRequests(requireCaller(ctx).userId, req);
      return { friendships: page.friendships.map(toFriendship), nextPageToken: page.nextPageToken };
    },
    async respondToFriendRequest(req, ctx) {
      const friendship = await commands.respondToFriendRequest(requireCaller(ctx), req.id, req.action as FriendshipAction);
      return { friendship: toFriendship(friendship) };
    },
    async deleteFriendship(req, ctx) {
      await commands.deleteFriendship(requireCaller(ctx), req.id);
      return {};
    },
  };
}
