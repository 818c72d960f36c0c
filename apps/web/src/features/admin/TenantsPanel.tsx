import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Tenant } from '@volundr/contracts/identity';
import { useId, useState } from 'react';
import { toUiError } from '../../api/api-error';
import { reprovisionTenantMutation } from '../../api/queries/administration';
import { useApi } from '../../app/contexts';
import { Badge } from '../../components/Badge';
import { TIER_LABELS } from './labels';
import { MembersPanel } from './MembersPanel';
import { CreateTenantDialog, DeleteTenantDialog, EditTenantDialog } from './TenantDialogs';
import { describeReprovision as describeResult, type TenantNode, tenantTree } from './tenant-tree';

type Open = 'create' | 'edit' | 'delete' | null;

/**
 * The tenants the administrator administers as a tree; the chosen one's details, quotas and
 * members, with creating a tenant below it, editing, deleting (asks first) and re-provisioning.
 */
export function TenantsPanel({ tenants, knownUsers }: { tenants: readonly Tenant[]; knownUsers: readonly string[] }) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = tenants.find((t) => t.id === selectedId) ?? tenants[0] ?? null;
  const titleId = useId();
  return (
    <section aria-labelledby={titleId} className="admin-tenants">
      <div className="section-head">
        <h2 id={titleId} className="section-title">
          Tenants
        </h2>
      </div>
      <div className="admin-tenants-layout">
        <fieldset className="tenant-tree">
          <legend className="visually-hidden">Tenant tree</legend>
          <TreeLevel nodes={tenantTree(tenants)} selectedId={selected?.id ?? null} onSelect={setSelectedId} />
        </fieldset>
        {selected ? (
          <TenantDetails
            key={selected.id}
            tenant={selected}
            isHome={selected.id === tenants[0]?.id}
            knownUsers={knownUsers}
            onSelect={setSelectedId}
          />
        ) : null}
      </div>
    </section>
  );
}

function TreeLevel({
  nodes,
  selectedId,
  onSelect,
}: {
  nodes: TenantNode[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <ul>
      {nodes.map(({ tenant, children }) => (
        <li key={tenant.id}>
          <button
            type="button"
            className="tenant-node"
            aria-current={tenant.id === selectedId ? 'true' : undefined}
            onClick={() => onSelect(tenant.id)}
          >
            <span>{tenant.name}</span> <span className="muted mono">{tenant.path}</span>
          </button>
          {children.length > 0 ? <TreeLevel nodes={children} selectedId={selectedId} onSelect={onSelect} /> : null}
        </li>
      ))}
    </ul>
  );
}

function TenantDetails({
  tenant,
  isHome,
  knownUsers,
  onSelect,
}: {
  tenant: Tenant;
  isHome: boolean;
  knownUsers: readonly string[];
  onSelect: (id: string | null) => void;
}) {
  const api = useApi();
  const reprovision = useMutation(reprovisionTenantMutation(api, useQueryClient()));
  const [open, setOpen] = useState<Open>(null);
  const titleId = useId();
  return (
    <section aria-labelledby={titleId} className="tenant-details">
      <h3 id={titleId}>{tenant.name}</h3>
      <p className="mono muted">{tenant.path}</p>
      <dl className="tenant-facts">
        <div>
          <dt>Tier</dt>
          <dd>
            <Badge tone="info">{TIER_LABELS[tenant.tier]}</Badge>
          </dd>
        </div>
        <div>
          <dt>Running sessions at most</dt>
          <dd>{tenant.maxRunningSessions}</dd>
        </div>
        <div>
          <dt>Storage at most</dt>
          <dd>{tenant.maxStorageGb} GB</dd>
        </div>
      </dl>
      <div className="row-actions tenant-actions">
        <button type="button" className="btn" onClick={() => setOpen('edit')}>
          Edit tenant
        </button>
        <button type="button" className="btn" onClick={() => setOpen('create')}>
          New tenant below
        </button>
        <button
          type="button"
          className="btn"
          disabled={reprovision.isPending}
          onClick={() => reprovision.mutate({ id: tenant.id })}
        >
          {reprovision.isPending ? 'Re-provisioning…' : 'Re-provision members'}
        </button>
        {isHome ? null : (
          <button type="button" className="btn btn-danger" onClick={() => setOpen('delete')}>
            Delete tenant
          </button>
        )}
      </div>
      <p role="status" className="muted">
        {reprovision.data ? `Re-provisioned: ${describeResult(reprovision.data)}` : ''}
      </p>
      {reprovision.error ? (
        <p className="field-error" role="alert">
          {toUiError(reprovision.error).message}
        </p>
      ) : null}
      <MembersPanel tenant={tenant} knownUsers={knownUsers} />
      {open === 'edit' ? <EditTenantDialog tenant={tenant} onClose={() => setOpen(null)} /> : null}
      {open === 'create' ? (
        <CreateTenantDialog
          parent={tenant}
          onClose={() => setOpen(null)}
          onCreated={(child) => {
            setOpen(null);
            onSelect(child.id);
          }}
        />
      ) : null}
      {open === 'delete' ? (
        <DeleteTenantDialog
          tenant={tenant}
          onClose={() => setOpen(null)}
          onDeleted={() => {
            setOpen(null);
            onSelect(tenant.parentId);
          }}
        />
      ) : null}
    </section>
  );
}
