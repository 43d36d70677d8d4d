import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// Vitest runs without globals, so the React testing helpers cannot register their own cleanup.
afterEach(() => {
  cleanup();
  window.location.hash = "";
  window.sessionStorage.clear();
});
