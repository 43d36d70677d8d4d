// The paths of the API documentation (docs-site.ts), apart from the code that serves them: the security
// headers need them where the UI packages are not installed (rendering Envoy's configuration).
export const isDocsPath = (urlPath: string): boolean =>
  urlPath === "/openapi.json" ||
  urlPath === "/swagger" ||
  urlPath === "/redoc" ||
  urlPath.startsWith("/swagger/") ||
  urlPath.startsWith("/redoc/");
