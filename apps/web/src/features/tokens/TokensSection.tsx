import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreatedPersonalAccessToken, PersonalAccessToken } from '@volundr/contracts/identity';
import { useState } from 'react';
import { fieldErrors, toUiError } from '../../api/api-error';
import { createTokenMutation, revokeTokenMutation, tokensQuery } from '../../api/queries/tokens';
import { useApi } from '../../app/contexts';
import { Badge } from '../../components/Badge';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { Field } from '../../components/Field';
import { LoadingState } from '../../components/LoadingState';
import { RelativeTime } from '../../components/RelativeTime';
import { TableScroll } from '../../components/TableScroll';
import { ApiErrorState } from '../common/ApiErrorState';

/** Personal access tokens for scripts and the CLI: create (shown once), list, revoke. */
export function TokensSection() {
  const api = useApi();
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const tokens = useQuery(tokensQuery(api, includeRevoked));
  const [revoking, setRevoking] = useState<PersonalAccessToken | null>(null);

  return (
    <>
      <CreateTokenForm />
      <div className="section-head">
        <h2 className="section-title">Your tokens</h2>
        <label className="checkbox">
          <input type="checkbox" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.target.checked)} />
          Show revoked
        </label>
      </div>
      {tokens.isPending ? <LoadingState label="Loading tokens…" /> : null}
      {tokens.isError ? (
        <ApiErrorState
          error={tokens.error}
          what="access tokens"
          procedure="tokens.list"
          onRetry={() => void tokens.refetch()}
        />
      ) : null}
      {tokens.isSuccess && tokens.data.length === 0 ? (
        <EmptyState title="No tokens">
          Create one above to use the API or the CLI without signing in interactively.
        </EmptyState>
      ) : null}
      {tokens.isSuccess && tokens.data.length > 0 ? (
        <TableScroll label="Personal access tokens">
          <table className="table">
            <caption className="visually-hidden">Personal access tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id}>
                  <td>
                    {t.name} {t.revokedAt ? <Badge tone="danger">revoked</Badge> : null}
                    {t.sessionId ? <Badge tone="info">session</Badge> : null}
                  </td>
                  <td className="mono">{t.tokenPrefix}…</td>
                  <td>{t.expiresAt ? <RelativeTime iso={t.expiresAt} /> : 'never'}</td>
                  <td>{t.lastUsedAt ? <RelativeTime iso={t.lastUsedAt} /> : 'never'}</td>
                  <td className="row-actions">
                    {t.revokedAt ? null : (
                      <button type="button" className="btn btn-sm" onClick={() => setRevoking(t)}>
                        Revoke<span className="visually-hidden"> {t.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {revoking ? <RevokeDialog token={revoking} onClose={() => setRevoking(null)} /> : null}
    </>
  );
}

function CreateTokenForm() {
  const api = useApi();
  const queryClient = useQueryClient();
  const create = useMutation(createTokenMutation(api, queryClient));
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [created, setCreated] = useState<CreatedPersonalAccessToken | null>(null);
  const [copied, setCopied] = useState(false);
  const ui = create.error ? toUiError(create.error) : null;
  const errors = ui ? fieldErrors(ui.issues) : {};

  return (
    <section className="card token-create" aria-labelledby="new-token">
      <h2 id="new-token">New token</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setCopied(false);
          create.mutate(
            { name: name.trim(), expiresInDays: Number(days) },
            {
              onSuccess: (result) => {
                setCreated(result);
                setName('');
              },
            },
          );
        }}
      >
        <Field label="Name" hint="What it is for: “laptop CLI”, “CI”." error={errors.name}>
          {(control) => <input {...control} className="input" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Expires after" error={errors.expiresInDays}>
          {(control) => (
            <select {...control} className="select" value={days} onChange={(e) => setDays(e.target.value)}>
              <option value="7">7 days</option>
              <option value="30">30 days</option>
              <option value="90">90 days</option>
              <option value="365">1 year</option>
            </select>
          )}
        </Field>
        <button
          type="submit"
          className="btn btn-primary inline-form-submit"
          disabled={create.isPending || !name.trim()}
        >
          {create.isPending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      {ui && Object.keys(errors).length === 0 ? (
        <p className="field-error" role="alert">
          {ui.message}
        </p>
      ) : null}
      {created ? (
        <div className="token-created" role="status">
          <p>
            <strong>Copy the token now</strong> — it is shown only this once. Use it as a bearer token, or with{' '}
            <code>VOLUNDR_TOKEN</code> for the CLI.
          </p>
          <div className="token-value">
            <output aria-label="Your new token" className="mono">
              {created.token}
            </output>
            <button
              type="button"
              className="btn btn-sm"
              onClick={() =>
                navigator.clipboard.writeText(created.token).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}

function RevokeDialog({ token, onClose }: { token: PersonalAccessToken; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const revoke = useMutation(revokeTokenMutation(api, queryClient));
  return (
    <ConfirmDialog
      title={`Revoke “${token.name}”?`}
      confirmLabel="Revoke token"
      pendingLabel="Revoking…"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => revoke.mutate(token.id, { onSuccess: onClose })}
      onClose={onClose}
    >
      <p>
        {token.sessionId
          ? 'This token belongs to a session’s broker: revoking it stops that session from reporting its work.'
          : 'It stops working at once, for every script or machine that uses it.'}
      </p>
    </ConfirmDialog>
  );
}
