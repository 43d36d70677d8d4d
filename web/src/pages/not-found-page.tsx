import { Page } from "../components/page.tsx";
import { hrefFor } from "../routing/hash-route.ts";

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <p>
        There is nothing at this address. Go to <a href={hrefFor("profile")}>your profile</a>.
      </p>
    </Page>
  );
}
