// What the auth service consumes: no event of another service. Accounts start here (published.ts); the
// revocation list every service keeps from session.revoked and user.deleted, this one included, is fed by the
// shared server (services/shared/src/server/build-service.ts), not by a consumer of the auth service.
export const consumedEvents: readonly string[] = [];
