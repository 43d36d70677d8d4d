// The catalogue is complete (every message of an events file is an event of it), unambiguous (a type names
// one event, a topic has one publisher), keys its messages by the declared field, and docs/events.md shows it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { create, getOption } from "@bufbuild/protobuf";
import { event_topic } from "../gen/ts/identity/api/v1/events_pb.js";
import { eventCatalogue, eventFiles, eventOfType, events, topicOf, topics } from "./event-catalogue.ts";

test("every message of an events file is in the catalogue, on its file's topic, published by its file's service", () => {
  const catalogued = new Set(eventCatalogue.map((event) => event.schema.typeName));
  for (const file of eventFiles) {
    for (const message of file.messages) {
      expect(catalogued.has(message.typeName)).toBe(true);
      const event = eventCatalogue.find((e) => e.schema === message);
      expect([message.typeName, event?.topic, event?.publisher]).toEqual([
        message.typeName,
        topicOf(file),
        file.proto.package.split(".")[1],
      ]);
    }
  }
  expect(eventCatalogue.length).toBe(eventFiles.reduce((n, file) => n + file.messages.length, 0));
});

test("a type names one event; a topic has one publisher; the topics are the platform's three", () => {
  const types = eventCatalogue.map((event) => event.type);
  expect(new Set(types).size).toBe(types.length);
  for (const type of types) expect(type).toMatch(/^[a-z]+\.[a-z_]+$/);
  const publishers = new Map<string, Set<string>>();
  for (const { topic, publisher } of eventCatalogue) publishers.set(topic, (publishers.get(topic) ?? new Set()).add(publisher));
  expect(Object.fromEntries([...publishers].map(([topic, who]) => [topic, [...who]]))).toEqual({
    [topics.users]: ["auth"],
    [topics.profiles]: ["profile"],
    [topics.friendships]: ["friendship"],
  });
  expect(eventOfType("user.deleted")).toBe(events.userDeleted);
  expect(eventOfType("user.cursed")).toBeUndefined();
  expect(topics).toEqual({ users: "identity.users.v1", profiles: "identity.profiles.v1", friendships: "social.friendships.v1" });
});

test("the key is the aggregate id: the user for the users topic (a session's too), the friendship for friendships", () => {
  const revoked = create(events.sessionRevoked.schema, { sessionId: "s1", userId: "u1" });
  expect(events.sessionRevoked.keyOf(revoked)).toBe("u1");
  const accepted = create(events.friendshipAccepted.schema, { friendshipId: "f1", requesterId: "u1", addresseeId: "u2", actorId: "u2" });
  expect(events.friendshipAccepted.keyOf(accepted)).toBe("f1");
  expect(events.profileUpdated.keyOf(create(events.profileUpdated.schema, { userId: "u3" }))).toBe("u3");
  expect([events.userRegistered.type, events.friendshipRemoved.type]).toEqual(["user.registered", "friendship.removed"]);
});

test("docs/events.md's topic table shows the catalogue: topic, key field, types in order, events file", () => {
  const docs = readFileSync(path.resolve(import.meta.dirname, "../../docs/events.md"), "utf8");
  const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  const rows = docs
    .split("\n")
    .map((line) => line.split("|").map((cell) => cell.trim()))
    .filter((cells) => cells.length === 6 && Object.values(topics).includes(backticked(cells[1] as string)[0] as never))
    .map((cells) => ({
      topic: backticked(cells[1] as string)[0],
      key: backticked(cells[2] as string)[0],
      types: backticked(cells[3] as string),
      file: backticked(cells[4] as string)[0],
    }));
  const expected = eventFiles.map((file) => ({
    topic: topicOf(file),
    key: getOption(file, event_topic).keyField,
    types: eventCatalogue.filter((event) => event.schema.file === file).map((event) => event.type),
    file: `${file.name}.proto`,
  }));
  expect(rows).toEqual(expected);
});
