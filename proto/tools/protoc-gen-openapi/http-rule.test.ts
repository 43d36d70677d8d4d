import { openApiPath, pathParameterNames } from "./http-rule.ts";

test("path parameters are the template's variables, in order", () => {
  expect(pathParameterNames("/api/friendships/respond/{id}/")).toEqual(["id"]);
  expect(pathParameterNames("/v1/{parent=users/*}/items/{item.id}")).toEqual(["parent", "item.id"]);
  expect(pathParameterNames("/api/auth/login/")).toEqual([]);
});

test("OpenAPI paths keep the template, trailing slash included, minus variable patterns", () => {
  expect(openApiPath("/api/friendships/{id}/")).toBe("/api/friendships/{id}/");
  expect(openApiPath("/v1/{parent=users/*}/items")).toBe("/v1/{parent}/items");
  expect(openApiPath("/.well-known/jwks.json")).toBe("/.well-known/jwks.json");
});
