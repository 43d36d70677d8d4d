// UserLookupService: for the platform's other backends. Who may call is the contract's access policy
// (ACCESS_SERVICE), enforced by the shared auth interceptor; the 1..100 UUIDs rule is protovalidate's.
import type { ServiceImpl } from "@connectrpc/connect";
import type { UserLookupService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import type { ProfileUseCases } from "../application/use-cases.ts";
import { userSummaryMessage } from "./profile-messages.ts";

export function userLookupHandlers(useCases: Pick<ProfileUseCases, "batchGetUsers">): ServiceImpl<typeof UserLookupService> {
  return {
    async batchGetUsers(req) {
      return { users: (await useCases.batchGetUsers(req.ids)).map(userSummaryMessage) };
    },
  };
}
