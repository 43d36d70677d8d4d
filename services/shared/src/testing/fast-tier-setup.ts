// Loaded before every fast-tier file (jest.config.js, project "fast"). Starting PGlite with a service's
// migrations takes about a second, several on a loaded machine: jest's default 5 s would cut a hook that is
// only slow, and a test must fail on what it checks, not on the machine's load.
import { jest } from "@jest/globals";

jest.setTimeout(30_000);
