import { useQuery } from "@connectrpc/connect-query";
import { FriendshipService } from "@identity/proto/identity/friendship/v1/friendship_pb.js";
import { type Profile, ProfileService } from "@identity/proto/identity/profile/v1/profile_pb.js";
import { useState } from "react";
import { toApiProblem } from "../api/api-problem.ts";
import { useRpcMutation } from "../api/use-rpc-mutation.ts";
import { useSessionState } from "../auth/session-context.tsx";
import { Page } from "../components/page.tsx";
import { StatusMessage } from "../components/status-message.tsx";
import { TextField } from "../components/text-field.tsx";
import { VerifyBanner } from "../components/verify-banner.tsx";
import { useForm } from "../forms/use-form.ts";
import { type ProfileValues, validateProfile } from "../forms/validation.ts";

const FIELDS = ["display_name", "first_name", "last_name", "bio", "avatar_url"] as const;

export function profileValues(p: Profile | undefined): ProfileValues {
  return {
    display_name: p?.displayName ?? "",
    first_name: p?.firstName ?? "",
    last_name: p?.lastName ?? "",
    bio: p?.bio ?? "",
    avatar_url: p?.avatarUrl ?? "",
  };
}

export function ProfileForm({ initial, submit }: { initial: ProfileValues; submit: (v: ProfileValues) => Promise<void> }) {
  const [saved, setSaved] = useState(false);
  const form = useForm<ProfileValues>({
    initial,
    fields: FIELDS,
    validate: validateProfile,
    submit: async (values) => {
      setSaved(false);
      await submit(values);
      setSaved(true);
    },
  });
  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-label="Edit your profile">
      <TextField {...form.field("display_name")} label="Display name" hint="Shown in the directory. Up to 50 characters." />
      <TextField {...form.field("first_name")} label="First name" autoComplete="given-name" />
      <TextField {...form.field("last_name")} label="Last name" autoComplete="family-name" />
      <TextField {...form.field("bio")} label="About you" hint="Up to 500 characters." multiline />
      <TextField {...form.field("avatar_url")} label="Avatar address" type="url" hint="An https:// address of a picture." />
      <div className="form__actions">
        <button type="submit" className="button button--primary" aria-busy={form.pending} disabled={form.pending}>
          {form.pending ? "Saving…" : "Save profile"}
        </button>
      </div>
      <StatusMessage tone="error">{form.formError}</StatusMessage>
      <StatusMessage tone="success">{saved && !form.formError ? "Profile saved." : null}</StatusMessage>
    </form>
  );
}

export function ProfilePage({ params }: { params: URLSearchParams }) {
  const state = useSessionState();
  // The new names show in the profile, the directory (ProfileService) and the friendship lists.
  const replaceMyProfile = useRpcMutation(ProfileService.method.replaceMyProfile, [ProfileService, FriendshipService]);
  const profile = useQuery(ProfileService.method.getMyProfile, {});
  const p = profile.data?.profile;

  async function save(values: ProfileValues) {
    await replaceMyProfile({
      displayName: values.display_name,
      firstName: values.first_name,
      lastName: values.last_name,
      bio: values.bio,
      avatarUrl: values.avatar_url,
    });
  }

  const claims = state.status === "signed-in" ? state.claims : undefined;
  return (
    <Page title="Your profile">
      <StatusMessage tone="success">
        {params.get("verified") && claims?.emailVerified ? "Your email address is verified." : null}
      </StatusMessage>
      <VerifyBanner />
      {profile.isPending ? <p className="loading">Loading your profile…</p> : null}
      <StatusMessage tone="error">{profile.error ? toApiProblem(profile.error).message : null}</StatusMessage>
      {p ? (
        <>
          <dl className="card facts">
            <div>
              <dt>Username</dt>
              <dd>{p.username}</dd>
            </div>
            <div>
              <dt>Email</dt>
              <dd>{claims?.emailVerified ? "Verified" : "Not verified yet"}</dd>
            </div>
          </dl>
          <ProfileForm key={p.userId} initial={profileValues(p)} submit={save} />
        </>
      ) : null}
    </Page>
  );
}
