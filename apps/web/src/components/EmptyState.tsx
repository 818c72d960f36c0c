import type { ReactNode } from 'react';

/** Nothing to show yet, and what to do about it. */
export function EmptyState({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <section className="state">
      <h2>{title}</h2>
      {children ? <p>{children}</p> : null}
      {actions ? <div className="state-actions">{actions}</div> : null}
    </section>
  );
}
