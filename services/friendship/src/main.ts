import { runStandalone } from "@identity/shared/server/standalone.ts";
import { friendshipService } from "./definition.ts";

await runStandalone(friendshipService);
