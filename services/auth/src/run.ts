import { runStandalone } from "@identity/shared/server/standalone.ts";
import { authService } from "./definition.ts";

await runStandalone(authService);
