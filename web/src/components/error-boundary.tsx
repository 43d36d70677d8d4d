import { Component, type ErrorInfo, type ReactNode } from "react";
import { Page } from "./page.tsx";

type Props = { children: ReactNode };
type State = { failed: boolean };

/**
 * Catches a screen that throws while rendering: the rest of the app (navigation, session) stays usable and
 * the user gets a way out instead of a blank page. The Shell keys it by route, so another screen starts afresh.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The details are for the developer's console, never for the screen.
    console.error("screen failed", error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <Page title="Something went wrong">
        <p role="alert">This screen could not be shown. Your data is safe; try again, or go to another screen.</p>
        <div className="form__actions">
          <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </Page>
    );
  }
}
