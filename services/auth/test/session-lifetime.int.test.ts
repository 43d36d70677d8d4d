import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { decodeJwt } from "jose";
import { failure, registerUser, STRONG_PASSWORD, useAuth } from "./support.ts";

const harness = useAuth({ SESSION_MAX_LIFETIME: "2s" });

test("the absolute session lifetime bounds rotation: refresh tokens never outlive the session, and rotation stops", async () => {
  const { username } = await registerUser(harness);
  const { refresh } = await harness.client(AuthService).login({ username, password: STRONG_PASSWORD });
  const claims = decodeJwt(refresh);
  expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(2);
  const next = await harness.client(AuthService).refreshToken({ refresh });
  await new Promise((r) => setTimeout(r, 2500));
  // Still inside the JWT clock tolerance, but the session is over.
  expect(await failure(harness.client(AuthService).refreshToken({ refresh: next.refresh }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
});
