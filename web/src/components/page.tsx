import { type ReactNode, useEffect, useRef } from "react";

export const APP_NAME = "Identity";

/** The browser tab's title for a screen: its own name first, so tabs and history tell screens apart. */
export const documentTitle = (screen: string): string => `${screen} · ${APP_NAME}`;

/**
 * One screen. Its heading takes the focus when the screen appears, so keyboard and screen-reader users
 * start reading at the new content instead of wherever the previous screen left them; the document title
 * names the screen (every screen is a Page, so every screen has its title).
 */
export function Page({ title, children, intro }: { title: string; intro?: ReactNode; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  useEffect(() => {
    document.title = documentTitle(title);
  }, [title]);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title" ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {intro ? <div className="page__intro">{intro}</div> : null}
      {children}
    </section>
  );
}
