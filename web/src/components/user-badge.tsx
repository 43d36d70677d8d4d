import type { UserSummary } from "@identity/proto/identity/profile/v1/profile_pb.js";

/**
 * Avatar (or initials) with display name and username. The profile service starts every display name as
 * the username, so "@username" is added only when the name says something else: never the same word twice.
 */
export function UserBadge({ user }: { user: UserSummary }) {
  const name = user.displayName || user.username;
  const showUsername = name !== user.username;
  const initials = name
    .split(/\s+/)
    .map((w) => w.charAt(0))
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <span className="user-badge">
      {user.avatarUrl ? (
        <img className="avatar" src={user.avatarUrl} alt="" width={40} height={40} />
      ) : (
        <span className="avatar avatar--initials" aria-hidden="true">
          {initials}
        </span>
      )}
      <span className="user-badge__names">
        <span className="user-badge__name">{name}</span>
        {showUsername ? <span className="user-badge__username">@{user.username}</span> : null}
      </span>
    </span>
  );
}
