import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { DevMailService } from "@identity/proto/identity/dev/v1/dev_mail_pb.js";
import { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";

export type ApiClients = {
  auth: Client<typeof AuthService>;
  profile: Client<typeof ProfileService>;
  friendship: Client<typeof FriendshipService>;
  devMail: Client<typeof DevMailService>;
};

export function createApiClients(transport: Transport): ApiClients {
  return {
    auth: createClient(AuthService, transport),
    profile: createClient(ProfileService, transport),
    friendship: createClient(FriendshipService, transport),
    devMail: createClient(DevMailService, transport),
  };
}
