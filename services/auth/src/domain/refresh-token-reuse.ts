// A refresh token is spent by its first use. One that could not be rotated is refused; when it had been spent
// already, it is being reused: someone holds a copy of it (or of its successor), so its session must end.
// An unknown token, or one of a revoked or expired session that was never spent, is only refused.

/** The token as stored: when its first use spent it, if it was used. */
export interface PresentedRefreshToken {
  spentAt: Date | null;
}

/** Whether presenting this (unrotatable) token is reuse, which revokes its session. */
export function isRefreshTokenReuse(token: PresentedRefreshToken | undefined): boolean {
  return token !== undefined && token.spentAt !== null;
}
