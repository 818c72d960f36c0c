import type { ReactNode } from 'react';

/** Something failed: what, and what the person can do (retry, go elsewhere). */
export function ErrorState({
  title,
  message,
  detail,
  actions,
}: {
  title: string;
  message: ReactNode;
  detail?: string;
  actions?: ReactNode;
}) {
  return (
    <section className="state" data-tone="danger" role="alert">
      <h2>{title}</h2>
      <p>{message}</p>
      {detail ? <p className="mono muted">{detail}</p> : null}
      {actions ? <div className="state-actions">{actions}</div> : null}
    </section>
  );
}
