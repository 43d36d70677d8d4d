import { type ReactNode, useEffect, useRef } from "react";

/**
 * One screen. Its heading takes the focus when the screen appears, so keyboard and screen-reader users
 * start reading at the new content instead of wherever the previous screen left them.
 */
export function Page({ title, children, intro }: { title: string; intro?: ReactNode; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
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
