import { searchTextOf } from "./directory-search.ts";

test("a blank search is no search", () => {
  expect(searchTextOf("")).toBeUndefined();
  expect(searchTextOf("   \t\n ")).toBeUndefined();
});

test("otherwise the search is kept, trimmed (the database normalizes the rest)", () => {
  expect(searchTextOf("  Jo  Kim ")).toBe("Jo  Kim");
});
