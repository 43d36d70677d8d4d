import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useQuery } from "@connectrpc/connect-query";
import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { useRpcMutation } from "../api/use-rpc-mutation.ts";
import { useAppServices } from "../app-context.tsx";
import { useSession } from "../auth/session-context.tsx";
import { Page } from "../components/page.tsx";
import { DeleteAccount } from "../security/delete-account.tsx";
import { EmailChange } from "../security/email-change.tsx";
import { PasswordChangeForm } from "../security/password-change-form.tsx";
import { SessionList, type SessionView } from "../security/session-list.tsx";

/** Password, email address, sessions and the account itself: everything that is about getting in. */
export function SecurityPage({ params }: { params: URLSearchParams }) {
  const { navigate } = useAppServices();
  const session = useSession();
  const sessions = useQuery(AuthService.method.listSessions, {});
  // What each action can change on this screen: the session list (AuthService). Logging out everywhere and
  // deleting the account end the session, which clears every query anyway.
  const changePasswordCall = useRpcMutation(AuthService.method.changePassword, [AuthService]);
  const requestEmailChangeCall = useRpcMutation(AuthService.method.requestEmailChange, []);
  const confirmEmailChangeCall = useRpcMutation(AuthService.method.confirmEmailChange, [AuthService]);
  const revokeSessionCall = useRpcMutation(AuthService.method.revokeSession, [AuthService]);
  const logoutAllCall = useRpcMutation(AuthService.method.logoutAll, []);
  const deleteAccountCall = useRpcMutation(AuthService.method.deleteAccount, []);

  async function changePassword(currentPassword: string, newPassword: string) {
    const pair = await changePasswordCall({ currentPassword, newPassword });
    session.signIn({ access: pair.access, refresh: pair.refresh });
  }

  async function requestEmailChange(newEmail: string, password: string) {
    await requestEmailChangeCall({ newEmail, password });
  }

  async function confirmEmailChange(code: string): Promise<string> {
    const answer = await confirmEmailChangeCall({ code });
    // The access token says whether the address is verified; a fresh one shows the new state at once.
    await session.refresh();
    return answer.user?.email ?? "";
  }

  async function revoke(id: string) {
    await revokeSessionCall({ id });
  }

  async function logoutEverywhere() {
    await logoutAllCall({});
    session.end("logged-out-everywhere");
    navigate("login");
  }

  async function logoutHere() {
    await session.logout();
    navigate("login");
  }

  async function deleteAccount(password: string) {
    await deleteAccountCall({ password });
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
