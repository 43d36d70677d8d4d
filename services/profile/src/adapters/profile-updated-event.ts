// profile.updated on identity.profiles.v1 (key = user id): the state after the change, written to the outbox
// in the transaction of the change.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { ProfileUpdatedSchema } from "@identity/proto/identity/profile/v1/profile_events_pb.js";
import { recordEvent } from "@identity/shared/outbox/record-event.ts";
import { eventTypes, topics } from "@identity/shared/outbox/topics.ts";
import type { EntityManager } from "@mikro-orm/core";
import type { Profile } from "../domain/profile.ts";

export function recordProfileUpdated(em: EntityManager, profile: Profile): void {
  recordEvent(em, {
    topic: topics.profiles,
    key: profile.userId,
    type: eventTypes.profileUpdated,
    schema: ProfileUpdatedSchema,
    message: create(ProfileUpdatedSchema, {
      userId: profile.userId,
      username: profile.username,
      displayName: profile.displayName,
      avatarUrl: profile.avatarUrl,
      updatedAt: timestampFromDate(profile.updatedAt),
    }),
    occurredAt: profile.updatedAt,
  });
}
