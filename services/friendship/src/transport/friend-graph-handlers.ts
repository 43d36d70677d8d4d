// FriendGraphService: lookups for the platform's other backends. The auth interceptor admits only
// authenticated services here (the contract's ACCESS_SERVICE).
import type { ServiceImpl } from "@connectrpc/connect";
import type { FriendGraphService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import type { FriendshipUseCases } from "../application/use-cases.ts";

export function friendGraphHandlers(useCases: FriendshipUseCases): ServiceImpl<typeof FriendGraphService> {
  return {
    async checkFriendship(req) {
      return { friends: await useCases.checkFriendship(req.userId, req.otherUserId) };
    },
  };
}
