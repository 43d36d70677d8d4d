import { useInfiniteQuery } from "@connectrpc/connect-query";
import { ErrorReason } from "@identity/proto/error-reasons";
import { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { ProfileService, type UserSummary } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { type FormEvent, type ReactNode, useState } from "react";
import { type ApiProblem, isReason, toApiProblem } from "../api/api-problem.ts";
import { useRpcMutation } from "../api/use-rpc-mutation.ts";
import { useAppServices } from "../app-context.tsx";
import { useSessionState } from "../auth/session-context.tsx";
import { Page } from "../components/page.tsx";
import { StatusMessage } from "../components/status-message.tsx";
import { TextField } from "../components/text-field.tsx";
import { UserBadge } from "../components/user-badge.tsx";
import { VerifyBanner } from "../components/verify-banner.tsx";
import { displayName, type Relation, useRelations } from "../friendships/relations.ts";
import { hrefFor } from "../routing/hash-route.ts";

export const DIRECTORY_PAGE_SIZE = 10;

export function DirectoryPage({ params }: { params: URLSearchParams }) {
  const { navigate } = useAppServices();
  const state = useSessionState();
  const me = state.status === "signed-in" ? state.claims.sub : "";
  const search = params.get("q") ?? "";
  const [draft, setDraft] = useState(search);
  const users = useInfiniteQuery(
    ProfileService.method.listUsers,
    { search, pageSize: DIRECTORY_PAGE_SIZE, pageToken: "" },
    {
      pageParamKey: "pageToken",
      getNextPageParam: (last) => last.nextPageToken || undefined,
    },
  );
  const relations = useRelations(me);
  const list = users.data?.pages.flatMap((p) => p.users) ?? [];

  function onSearch(event: FormEvent) {
    event.preventDefault();
    const q = draft.trim();
    navigate("directory", q ? { q } : undefined);
  }

  return (
    <Page title="Find people">
      <VerifyBanner />
      <search>
        <form className="form form--inline" onSubmit={onSearch} aria-label="Search the directory">
          <TextField name="search" label="Search by username or name" type="search" value={draft} onChange={setDraft} required />
          <div className="form__actions">
            <button type="submit" className="button button--primary">
              Search
            </button>
          </div>
        </form>
      </search>
      <StatusMessage tone="info">
        {users.isPending ? "Loading people…" : users.isSuccess ? resultSummary(list.length, search, users.hasNextPage) : null}
      </StatusMessage>
      <StatusMessage tone="error">{users.error ? toApiProblem(users.error).message : null}</StatusMessage>
      {users.isSuccess && list.length === 0 ? (
        <p className="empty">{search ? `Nobody matches “${search}”.` : "Nobody else is here yet."}</p>
      ) : null}
      <ul className="people" aria-label="People">
        {list.map((user) => (
          <li key={user.id} className="card person">
            <UserBadge user={user} />
            <RelationActions user={user} relation={relations.byUser.get(user.id)} />
          </li>
        ))}
      </ul>
      {users.hasNextPage ? (
        <button
          type="button"
          className="button"
          onClick={() => users.fetchNextPage()}
          disabled={users.isFetchingNextPage}
          aria-busy={users.isFetchingNextPage}
        >
          {users.isFetchingNextPage ? "Loading more…" : "Load more"}
        </button>
      ) : null}
    </Page>
  );
}

function resultSummary(count: number, search: string, more: boolean): string {
  const who = count === 1 ? "1 person" : `${count} people`;
  return `${who}${search ? ` matching “${search}”` : ""}${more ? ", more available" : ""}.`;
}

type Outcome = {
  tone: "success" | "error";
  text: string;
  problem?: ApiProblem;
};

/** What the caller can do with one person of the directory, and what came of it, next to the button. */
function RelationActions({ user, relation }: { user: UserSummary; relation: Relation | undefined }) {
  // Either way (sent, or refused because the relation changed meanwhile) the friendship lists are refreshed.
  const createFriendRequest = useRpcMutation(FriendshipService.method.createFriendRequest, [FriendshipService]);
  const deleteFriendship = useRpcMutation(FriendshipService.method.deleteFriendship, [FriendshipService]);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const name = displayName(user);

  async function act(run: () => Promise<string>) {
    setPending(true);
    setOutcome(null);
    try {
      const text = await run();
      setOutcome({ tone: "success", text });
    } catch (err) {
      const problem = toApiProblem(err);
      setOutcome({ tone: "error", text: problem.message, problem });
    } finally {
      setPending(false);
    }
  }

  const sendRequest = () =>
    act(async () => {
      const answer = await createFriendRequest({
        addresseeId: user.id,
      });
      // If they had already asked us, the server accepts their request instead of creating ours.
      return answer.friendship?.status === "accepted"
        ? `You are now friends with ${name}.`
        : `Friend request sent to ${name}. It stays pending until they answer.`;
    });
  const cancelRequest = (id: string) =>
    act(async () => {
      await deleteFriendship({ id });
      return `Request to ${name} cancelled.`;
    });

  let current: ReactNode;
  if (!relation) {
    current = (
      <button
        type="button"
        className="button button--primary"
        onClick={sendRequest}
        disabled={pending}
        aria-busy={pending}
        aria-label={`Add friend ${name}`}
      >
        Add friend
      </button>
    );
  } else if (relation.kind === "sent") {
    current = (
      <>
        <span className="tag">Friend request pending</span>
        <button
          type="button"
          className="button"
          onClick={() => cancelRequest(relation.friendship.id)}
          disabled={pending}
          aria-busy={pending}
          aria-label={`Cancel request to ${name}`}
        >
          Cancel request
        </button>
      </>
    );
  } else if (relation.kind === "received") {
    current = (
      <>
        <span className="tag">Sent you a request</span>
        <a className="button" href={hrefFor("friends")} aria-label={`Respond to ${name}`}>
          Respond
        </a>
      </>
    );
  } else {
    current = <span className="tag tag--friends">Friends</span>;
  }

  return (
    <div className="person__actions">
      <div className="person__buttons">{current}</div>
      <StatusMessage tone={outcome?.tone ?? "success"}>
        {outcome && isReason(outcome.problem, ErrorReason.EMAIL_NOT_VERIFIED) ? (
          <>
            {outcome.text} <a href={hrefFor("verify")}>Verify your email</a> with the code we sent you, then try again.
          </>
        ) : (
          outcome?.text
        )}
      </StatusMessage>
    </div>
  );
}
