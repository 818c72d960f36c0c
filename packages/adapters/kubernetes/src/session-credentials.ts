/**
 * Secret values a session needs at start — the broker's report token (from the core
 * `SessionSecrets` port) and the git credentials its repositories name (from a
 * `SessionSecretSource`) — never enter the SessionSpec (which is persisted). The pod manager
 * writes them into a per-start Secret owned by the start's objects, so stopping the session
 * deletes them with everything else.
 */
import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import type { SessionSpec } from '@volundr/contracts/session-spec';
import { DomainError } from '@volundr/core/errors';
import type { StartAttempt } from '@volundr/core/sessions/ports/pod-manager';
import type { SessionSecrets } from '@volundr/core/sessions/ports/session-secrets';
import type { SessionOwnerRef } from '@volundr/core/sessions/ports/storage';
import { isNotFound, kubeMessage } from './kube-errors';
import { gitCredentialKey, REPORT_TOKEN_KEY } from './render/session-render-input';

export interface SessionSecretSource {
  /** A secret value by the reference the spec names (a git credential); null when there is none. */
  secretValue(ref: { name: string; key: string }, session: SessionOwnerRef): Promise<string | null>;
}

/** The default source: git credential references name Kubernetes Secrets in `namespace`. */
export function kubernetesSecretSource(core: CoreV1Api, namespace: string): SessionSecretSource {
  return {
    async secretValue(ref) {
      let secret: V1Secret;
      try {
        secret = await core.readNamespacedSecret({ name: ref.name, namespace });
      } catch (error) {
        if (isNotFound(error)) return null;
        throw new DomainError(
          'DEPENDENCY_UNAVAILABLE',
          `Could not read secret ${namespace}/${ref.name}: ${kubeMessage(error)}`,
        );
      }
      const data = secret.data?.[ref.key];
      return data === undefined ? null : Buffer.from(data, 'base64').toString('utf8');
    },
  };
}

/** `user:password`, or a bare token (sent as user `x-access-token`), as git credential helper output. */
export function gitCredentialFile(value: string): string {
  const text = value.trim();
  const colon = text.indexOf(':');
  const [username, password] = colon > 0 ? [text.slice(0, colon), text.slice(colon + 1)] : ['x-access-token', text];
  if (/[\r\n]/.test(username) || /[\r\n]/.test(password))
    throw new DomainError('SPEC_INVALID', 'A git credential must be one line (user:password or a token).');
  return `username=${username}\npassword=${password}\n`;
}

export interface CredentialValues {
  /** Key → value for the per-session Secret. */
  data: Record<string, string>;
  reportToken: boolean;
  /** Where the broker reports (with the token), when it does. */
  apiUrl: string | null;
}

/** What goes into the session's Secret for this start; null when there is nothing secret. */
export async function collectCredentials(
  spec: SessionSpec,
  attempt: StartAttempt,
  source: SessionSecretSource,
  sessionSecrets: SessionSecrets | undefined,
): Promise<CredentialValues | null> {
  const session = { sessionId: spec.session.id, ownerId: spec.session.ownerId, tenantId: spec.session.tenantId };
  const data: Record<string, string> = {};
  const owner = { id: spec.session.id, ownerId: spec.session.ownerId, tenantId: spec.session.tenantId };
  const reporting = sessionSecrets ? await sessionSecrets.brokerReporting(owner, attempt) : null;
  if (reporting) data[REPORT_TOKEN_KEY] = reporting.token;
  for (const [i, repo] of (spec.git?.repos ?? []).entries()) {
    if (!repo.credential) continue;
    // The owner's stored credentials (and fresh integration tokens) first, then the runtime's own.
    const stored = (await sessionSecrets?.secretValue?.(repo.credential, owner)) ?? null;
    const value = stored ?? (await source.secretValue(repo.credential, session));
    if (value === null)
      throw new DomainError(
        'SPEC_INVALID',
        `The git credential for ${repo.repoUrl} (secret "${repo.credential.name}", key "${repo.credential.key}") does not exist.`,
        { repo: repo.repoUrl },
      );
    data[gitCredentialKey(i)] = gitCredentialFile(value);
  }
  return Object.keys(data).length ? { data, reportToken: reporting !== null, apiUrl: reporting?.apiUrl ?? null } : null;
}

export function renderCredentialsSecret(
  name: string,
  namespace: string,
  metadata: { labels: Record<string, string>; annotations: Record<string, string> },
  values: CredentialValues,
): V1Secret & { apiVersion: string; kind: string; metadata: { name: string } } {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: metadata.labels, annotations: metadata.annotations },
    type: 'Opaque',
    immutable: true,
    data: Object.fromEntries(
      Object.entries(values.data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
    ),
  };
}
