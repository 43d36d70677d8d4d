import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useQuery } from "@connectrpc/connect-query";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { useQueryClient } from "@tanstack/react-query";
import { useAppServices } from "../app-context.tsx";
import { useSession } from "../auth/session-context.tsx";
import { Page } from "../components/page.tsx";
import { DeleteAccount } from "../security/delete-account.tsx";
import { EmailChange } from "../security/email-change.tsx";
import { PasswordChangeForm } from "../security/password-change-form.tsx";
import { SessionList, type SessionView } from "../security/session-list.tsx";

/** Password, email address, sessions and the account itself: everything that is about getting in. */
export function SecurityPage({ params }: { params: URLSearchParams }) {
  const { clients, navigate } = useAppServices();
  const session = useSession();
  const queryClient = useQueryClient();
  const sessions = useQuery(AuthService.method.listSessions, {});
  const refreshSessions = () => queryClient.invalidateQueries();

  async function changePassword(currentPassword: string, newPassword: string) {
    const pair = await clients.auth.changePassword({ currentPassword, newPassword });
    session.signIn({ access: pair.access, refresh: pair.refresh });
    await refreshSessions();
  }

  async function requestEmailChange(newEmail: string, password: string) {
    await clients.auth.requestEmailChange({ newEmail, password });
  }

  async function confirmEmailChange(code: string): Promise<string> {
    const answer = await clients.auth.confirmEmailChange({ code });
    // The access token says whether the address is verified; a fresh one shows the new state at once.
    await session.refresh();
    return answer.user?.email ?? "";
  }

  async function revoke(id: string) {
    try {
      await clients.auth.revokeSession({ id });
    } finally {
      await refreshSessions();
    }
  }

  async function logoutEverywhere() {
    await clients.auth.logoutAll({});
    session.end("logged-out-everywhere");
    navigate("login");
  }

  async function logoutHere() {
    await session.logout();
    navigate("login");
  }

  async function deleteAccount(password: string) {
    await clients.auth.deleteAccount({ password });
    session.end("account-deleted");
    navigate("login");
  }

  const views: SessionView[] | undefined = sessions.data?.sessions.map((s) => ({
    id: s.id,
    createdAt: s.createdAt ? timestampDate(s.createdAt) : undefined,
    lastUsedAt: s.lastUsedAt ? timestampDate(s.lastUsedAt) : undefined,
    userAgent: s.userAgent,
    clientAddress: s.clientAddress,
    current: s.current,
  }));

  return (
    <Page title="Security" intro={<p>Your password, your email address, where you are logged in, and your account.</p>}>
      <section className="section" aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        <PasswordChangeForm submit={changePassword} />
      </section>
      <EmailChange
        pendingEmail={params.get("new_email") ?? ""}
        initialCode={params.get("code") ?? ""}
        request={requestEmailChange}
        confirm={confirmEmailChange}
        // The spent code leaves the address, so a reload does not offer it again.
        onChanged={() => navigate("security")}
      />
      <SessionList
        sessions={views}
        loading={sessions.isPending}
        loadError={sessions.error}
        revoke={revoke}
        logoutHere={logoutHere}
        logoutEverywhere={logoutEverywhere}
      />
      <DeleteAccount submit={deleteAccount} />
    </Page>
  );
}
