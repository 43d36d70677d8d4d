// The event catalogue: every event the platform publishes, with its CloudEvents type, its topic, its key and
// its protobuf schema, read from the contract's options (identity.api.v1.event_topic on each `*_events.proto`
// file, identity.api.v1.event_type on each event message: proto/identity/api/v1/events.proto). Publishers
// record these definitions in the outbox, consumers key their effects by them, the Kafka bus creates their
// topics, and the topic table of docs/events.md is checked against them: a type or topic is written once.
import { type DescFile, type DescMessage, getOption, hasOption, type MessageShape, ScalarType } from "@bufbuild/protobuf";
import { event_topic as eventTopic, event_type as eventType } from "../gen/ts/identity/api/v1/events_pb.js";
import {
  file_identity_auth_v1_auth_events as authEventsFile,
  SessionRevokedSchema,
  UserDeletedSchema,
  UserEmailChangedSchema,
  UserEmailVerifiedSchema,
  UserPasswordChangedSchema,
  UserRegisteredSchema,
} from "../gen/ts/identity/auth/v1/auth_events_pb.js";
import {
  FriendshipAcceptedSchema,
  FriendshipRejectedSchema,
  FriendshipRemovedSchema,
  FriendshipRequestedSchema,
  file_identity_friendship_v1_friendship_events as friendshipEventsFile,
} from "../gen/ts/identity/friendship/v1/friendship_events_pb.js";
import {
  ProfileUpdatedSchema,
  file_identity_profile_v1_profile_events as profileEventsFile,
} from "../gen/ts/identity/profile/v1/profile_events_pb.js";

export interface EventDefinition<Desc extends DescMessage = DescMessage> {
  /** The CloudEvents `ce_type`, e.g. `user.registered`. */
  type: string;
  /** The Kafka topic (its dead letters go to `<topic>.dlq`). */
  topic: string;
  /** The protobuf message: the event's value, binary. */
  schema: Desc;
  /** The message key: the aggregate id (the file's `key_field`), so one aggregate's events keep their order. */
  keyOf(message: MessageShape<Desc>): string;
  /** The service that publishes it: the `<service>` of the file's package `identity.<service>.v1`. */
  publisher: string;
}

/** The topic an events file declares, checked: a file of events without its topic is a contract bug. */
export function topicOf(file: DescFile): string {
  if (!hasOption(file, eventTopic)) throw new Error(`${file.name}.proto has no identity.api.v1.event_topic`);
  return getOption(file, eventTopic).name;
}

function defineEvent<Desc extends DescMessage>(schema: Desc): EventDefinition<Desc> {
  const file = schema.file;
  const topic = topicOf(file);
  // Checked when the module loads, so a contract mistake fails at start-up, not at the first event.
  if (!hasOption(schema, eventType)) throw new Error(`${schema.typeName} has no identity.api.v1.event_type`);
  const keyField = getOption(file, eventTopic).keyField;
  const key = schema.fields.find((f) => f.name === keyField);
  if (key?.fieldKind !== "scalar" || key.scalar !== ScalarType.STRING) {
    throw new Error(`${schema.typeName} has no string field ${keyField} (the key_field of ${topic})`);
  }
  const keyName = key.localName;
  return {
    type: getOption(schema, eventType),
    topic,
    schema,
    keyOf: (message) => (message as unknown as Record<string, string>)[keyName] as string,
    publisher: file.proto.package.split(".")[1] ?? "",
  };
}

/** Every event of the platform, by name. */
export const events = {
  userRegistered: defineEvent(UserRegisteredSchema),
  userEmailVerified: defineEvent(UserEmailVerifiedSchema),
  userEmailChanged: defineEvent(UserEmailChangedSchema),
  userPasswordChanged: defineEvent(UserPasswordChangedSchema),
  userDeleted: defineEvent(UserDeletedSchema),
  sessionRevoked: defineEvent(SessionRevokedSchema),
  profileUpdated: defineEvent(ProfileUpdatedSchema),
  friendshipRequested: defineEvent(FriendshipRequestedSchema),
  friendshipAccepted: defineEvent(FriendshipAcceptedSchema),
  friendshipRejected: defineEvent(FriendshipRejectedSchema),
  friendshipRemoved: defineEvent(FriendshipRemovedSchema),
} as const;

/** The events files of the contract: each one aggregate's topic. */
export const eventFiles: readonly DescFile[] = [authEventsFile, profileEventsFile, friendshipEventsFile];

/** The platform's topics, by aggregate. */
export const topics = {
  users: topicOf(authEventsFile),
  profiles: topicOf(profileEventsFile),
  friendships: topicOf(friendshipEventsFile),
} as const;

/** Every event, in the contract's order. */
export const eventCatalogue: readonly EventDefinition[] = Object.values(events) as EventDefinition[];

/** The definition of a `ce_type`, or undefined for a type the platform does not publish. */
export function eventOfType(type: string): EventDefinition | undefined {
  return eventCatalogue.find((event) => event.type === type);
}
