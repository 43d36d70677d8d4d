import { runStandalone } from "@identity/shared/server/standalone.ts";
import { profileService } from "./definition.ts";

await runStandalone(profileService);
