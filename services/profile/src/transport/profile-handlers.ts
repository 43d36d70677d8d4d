// ProfileService over Connect: request -> use case -> response. The caller is the verified token's subject
// (requireCaller); limits are the contract's protovalidate rules, checked before a handler runs; a field
// that is not editable is not in the request message, so the JSON parser already refused it.
import type { ServiceImpl } from "@connectrpc/connect";
import type { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { requireCaller } from "@identity/shared/auth/caller.ts";
import type { ProfileUseCases } from "../application/use-cases.ts";
import { profileMessage, userSummaryMessage } from "./profile-messages.ts";

type Editable = "displayName" | "firstName" | "lastName" | "bio" | "avatarUrl";

/** The editable fields of a PUT or PATCH request, without the message's own bookkeeping. */
function editableFields<R extends Partial<Record<Editable, string>>>(req: R): Pick<R, Editable> {
  const { displayName, firstName, lastName, bio, avatarUrl } = req;
  return { displayName, firstName, lastName, bio, avatarUrl };
}

/** The use cases ProfileService answers with. */
type ProfileServiceUseCases = Pick<ProfileUseCases, "getMyProfile" | "replaceMyProfile" | "updateMyProfile" | "listUsers">;

export function profileHandlers(useCases: ProfileServiceUseCases): ServiceImpl<typeof ProfileService> {
  return {
    async getMyProfile(_req, ctx) {
      return { profile: profileMessage(await useCases.getMyProfile(requireCaller(ctx))) };
    },
    async replaceMyProfile(req, ctx) {
      const profile = await useCases.replaceMyProfile(requireCaller(ctx), editableFields(req));
      return { profile: profileMessage(profile) };
    },
    async updateMyProfile(req, ctx) {
      const profile = await useCases.updateMyProfile(requireCaller(ctx), editableFields(req));
      return { profile: profileMessage(profile) };
    },
    async listUsers(req, ctx) {
      const page = await useCases.listUsers(requireCaller(ctx), { search: req.search, pageSize: req.pageSize, pageToken: req.pageToken });
      return { users: page.users.map(userSummaryMessage), nextPageToken: page.nextPageToken };
    },
  };
}
