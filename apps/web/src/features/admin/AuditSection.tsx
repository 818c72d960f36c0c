import { useInfiniteQuery } from '@tanstack/react-query';
import { type AuditAction, ZAuditAction } from '@volundr/contracts/events';
import { useState } from 'react';
import { auditQuery } from '../../api/queries/audit';
import { useApi } from '../../app/contexts';
import { EmptyState } from '../../components/EmptyState';
import { LoadingState } from '../../components/LoadingState';
import { RelativeTime } from '../../components/RelativeTime';
import { TableScroll } from '../../components/TableScroll';
import { ApiErrorState } from '../common/ApiErrorState';

const ACTIONS = ZAuditAction.options;

/** Who did what in this tenant, newest first (tenant administrators). */
export function AuditSection() {
  const api = useApi();
  const [action, setAction] = useState<AuditAction | null>(null);
  const audit = useInfiniteQuery(auditQuery(api, action));
  const entries = audit.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="audit-title">
      <div className="section-head">
        <h2 id="audit-title" className="section-title">
          Audit log
        </h2>
        <div className="field filter-inline">
          <label htmlFor="audit-action">Action</label>
          <select
            id="audit-action"
            className="select"
            value={action ?? ''}
            onChange={(e) => setAction(ZAuditAction.safeParse(e.target.value).data ?? null)}
          >
            <option value="">Every action</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
      </div>
      {audit.isPending ? <LoadingState label="Loading the audit log…" /> : null}
      {audit.isError ? (
        <ApiErrorState
          error={audit.error}
          what="the audit log"
          procedure="audit.list"
          onRetry={() => void audit.refetch()}
        />
      ) : null}
      {audit.isSuccess && entries.length === 0 ? <EmptyState title="Nothing recorded" /> : null}
      {entries.length > 0 ? (
        <TableScroll label="Audit entries">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">On</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <RelativeTime iso={e.at} />
                  </td>
                  <td className="mono">{e.actorId}</td>
                  <td className="mono">{e.action}</td>
                  <td>
                    {e.resource.kind}
                    {e.resource.id ? <span className="mono"> {e.resource.id}</span> : null}
                    {e.resource.ownerId ? <span className="muted"> of {e.resource.ownerId}</span> : null}
                  </td>
                  <td>{e.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {audit.hasNextPage ? (
        <button
          type="button"
          className="btn load-more"
          onClick={() => void audit.fetchNextPage()}
          disabled={audit.isFetchingNextPage}
        >
          {audit.isFetchingNextPage ? 'Loading…' : 'Older entries'}
        </button>
      ) : null}
    </section>
  );
}
