import { planSearch } from "./directory-search.ts";

test("no terms is no search", () => {
  expect(planSearch("")).toBeUndefined();
  expect(planSearch("   \t ")).toBeUndefined();
});

test("terms are split on whitespace; the longest drives the index, the others are checked", () => {
  expect(planSearch("  jo  smith ")).toEqual({ driving: "smith", others: ["jo"] });
  expect(planSearch("john_s")).toEqual({ driving: "john_s", others: [] });
  expect(planSearch("jo jo")).toEqual({ driving: "jo", others: [] });
});
