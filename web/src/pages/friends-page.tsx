import { useQuery } from "@connectrpc/connect-query";
import { type Friendship, FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { type ReactNode, useState } from "react";
import { toApiProblem } from "../api/api-problem.ts";
import { useRpcMutation } from "../api/use-rpc-mutation.ts";
import { useSessionState } from "../auth/session-context.tsx";
import { Page } from "../components/page.tsx";
import { StatusMessage } from "../components/status-message.tsx";
import { UserBadge } from "../components/user-badge.tsx";
import { displayName, FRIENDSHIP_PAGE_SIZE, FRIENDSHIP_POLL_MS, otherParty, useRelations } from "../friendships/relations.ts";
import { hrefFor } from "../routing/hash-route.ts";

type Outcome = { tone: "success" | "error"; text: string };

export function FriendsPage() {
  const state = useSessionState();
  const me = state.status === "signed-in" ? state.claims.sub : "";
  const respondToFriendRequest = useRpcMutation(FriendshipService.method.respondToFriendRequest, [FriendshipService]);
  const deleteFriendship = useRpcMutation(FriendshipService.method.deleteFriendship, [FriendshipService]);
  const received = useQuery(
    FriendshipService.method.listReceivedFriendRequests,
    { pageSize: FRIENDSHIP_PAGE_SIZE },
    { refetchInterval: FRIENDSHIP_POLL_MS },
  );
  const { query: all, byUser } = useRelations(me);
  const relations = [...byUser.values()];
  const friends = relations.filter((r) => r.kind === "friends");
  const sent = relations.filter((r) => r.kind === "sent");
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  async function act(id: string, run: () => Promise<string>) {
    setBusyId(id);
    setOutcome(null);
    try {
      setOutcome({ tone: "success", text: await run() });
    } catch (err) {
      setOutcome({ tone: "error", text: toApiProblem(err).message });
    } finally {
      setBusyId(null);
    }
  }

  function respond(f: Friendship, action: "accept" | "reject") {
    const name = displayName(otherParty(f, me));
    return act(f.id, async () => {
      await respondToFriendRequest({ id: f.id, action });
      return action === "accept" ? `You are now friends with ${name}.` : `You rejected the request from ${name}.`;
    });
  }

  function remove(f: Friendship, kind: "cancel" | "unfriend") {
    const name = displayName(otherParty(f, me));
    return act(f.id, async () => {
      await deleteFriendship({ id: f.id });
      return kind === "cancel" ? `Request to ${name} cancelled.` : `You and ${name} are no longer friends.`;
    });
  }

  return (
    <Page title="Friends">
      <StatusMessage tone={outcome?.tone ?? "success"}>{outcome?.text}</StatusMessage>

      <Section title="Received requests" id="received" query={received} empty="No one is waiting for your answer.">
        {received.data?.friendships.map((f) => (
          <Row key={f.id} friendship={f} me={me}>
            <button
              type="button"
              className="button button--primary"
              onClick={() => respond(f, "accept")}
              disabled={busyId === f.id}
              aria-label={`Accept request from ${displayName(f.requester)}`}
            >
              Accept
            </button>
            <button
              type="button"
              className="button"
              onClick={() => respond(f, "reject")}
              disabled={busyId === f.id}
              aria-label={`Reject request from ${displayName(f.requester)}`}
            >
              Reject
            </button>
          </Row>
        ))}
      </Section>

      <Section title="Your friends" id="friends" query={all} empty={<NoFriendsYet />} count={friends.length}>
        {friends.map((r) => (
          <Row key={r.friendship.id} friendship={r.friendship} me={me}>
            <button
              type="button"
              className="button"
              onClick={() => remove(r.friendship, "unfriend")}
              disabled={busyId === r.friendship.id}
              aria-label={`Unfriend ${displayName(r.other)}`}
            >
              Unfriend
            </button>
          </Row>
        ))}
      </Section>

      <Section title="Sent requests" id="sent" query={all} empty="You have no pending requests." count={sent.length}>
        {sent.map((r) => (
          <Row key={r.friendship.id} friendship={r.friendship} me={me}>
            <span className="tag">Friend request pending</span>
            <button
              type="button"
              className="button"
              onClick={() => remove(r.friendship, "cancel")}
              disabled={busyId === r.friendship.id}
              aria-label={`Cancel request to ${displayName(r.other)}`}
            >
              Cancel request
            </button>
          </Row>
        ))}
      </Section>
    </Page>
  );
}

function NoFriendsYet() {
  return (
    <>
      No friends yet. <a href={hrefFor("directory")}>Find people</a> to send a request.
    </>
  );
}

type SectionQuery = {
  isPending: boolean;
  error: unknown;
  data?: { friendships: unknown[] } | undefined;
};

function Section(props: { title: string; id: string; query: SectionQuery; empty: ReactNode; count?: number; children: ReactNode }) {
  const { query } = props;
  const count = props.count ?? query.data?.friendships.length ?? 0;
  return (
    <section className="section" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {query.isPending ? <p className="loading">Loading…</p> : null}
      {query.error ? <p className="status status--error">{toApiProblem(query.error).message}</p> : null}
      {!query.isPending && !query.error && count === 0 ? <p className="empty">{props.empty}</p> : null}
      {count > 0 ? (
        <ul className="people" aria-labelledby={`${props.id}-title`}>
          {props.children}
        </ul>
      ) : null}
    </section>
  );
}

function Row({ friendship, me, children }: { friendship: Friendship; me: string; children: ReactNode }) {
  const other = otherParty(friendship, me);
  return (
    <li className="card person">
      {other ? <UserBadge user={other} /> : null}
      <div className="person__buttons">{children}</div>
    </li>
  );
}
