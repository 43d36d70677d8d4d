import { AuthService } from "@identity/proto/identity/auth/v1/auth_pb.js";
import { createAccessTokenVerifier } from "@identity/shared/auth/access-token-verifier.ts";
import { failure, registerUser, STRONG_PASSWORD, useAuth } from "./support.ts";

const harness = useAuth({ ACCESS_TOKEN_TTL: "1s", REFRESH_TOKEN_TTL: "1s" });

test("expired access and refresh tokens are refused (past the verifiers' 5 s clock tolerance)", async () => {
  const { username } = await registerUser(harness);
  const { access, refresh } = await harness.client(AuthService).login({ username, password: STRONG_PASSWORD });
  const verifier = createAccessTokenVerifier({ keys: harness.module.keys, issuer: "identity-platform", audiences: ["react-frontend"] });
  await expect(verifier.verify(access)).resolves.toBeDefined();
  await new Promise((r) => setTimeout(r, 7000));
  await expect(verifier.verify(access)).rejects.toMatchObject({ reason: "TOKEN_NOT_VALID" });
  expect(await failure(harness.client(AuthService).refreshToken({ refresh }))).toMatchObject({ reason: "TOKEN_NOT_VALID" });
}, 20_000);
