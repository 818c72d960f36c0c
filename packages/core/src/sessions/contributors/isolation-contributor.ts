import type { Contributor } from '../session-context';

export interface IsolationContributorOptions {
  /** Restrict the session's network to what the platform needs (default true). */
  networkPolicy?: boolean;
}

/** Kubernetes label values: ≤ 63 of [A-Za-z0-9-_.], starting and ending alphanumeric. */
export function labelValue(value: string): string {
  const cleaned = value
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned;
}

/**
 * Labels that policies (Kyverno, NetworkPolicy) select on, and the isolation settings. The
 * exact ids go in annotations because label values are restricted.
 */
export function isolationContributor(options: IsolationContributorOptions = {}): Contributor {
  return {
    name: 'Isolation',
    async contribute({ session }) {
      return {
        values: {
          isolation: { networkPolicy: options.networkPolicy === false ? 'none' : 'session', runAsNonRoot: true },
        },
        podSpec: {
          labels: {
            'app.kubernetes.io/managed-by': 'volundr',
            'volundr.io/session-id': labelValue(session.id),
            'volundr.io/owner': labelValue(session.ownerId),
            'volundr.io/tenant': labelValue(session.tenantId),
          },
          annotations: {
            'volundr.io/session-id': session.id,
            'volundr.io/owner': session.ownerId,
            'volundr.io/tenant': session.tenantId,
          },
        },
      };
    },
  };
}
