import type { SecretInjection } from '../sessions/ports/secret-injection';

const volumeName = (credential: string) => `cred-${credential.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63);

/** Test double of SecretInjection: one secret volume per credential under /run/secrets. */
export function fakeSecretInjection(): SecretInjection & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async podAdditions({ sessionId }, names) {
      calls.push(`podAdditions:${sessionId}:${names.join(',')}`);
      return {
        provider: 'memory',
        volumes: names.map((n) => ({
          name: volumeName(n),
          source: { kind: 'secret', secretName: `${sessionId}-${n}` },
        })),
        volumeMounts: names.map((n) => ({ name: volumeName(n), mountPath: `/run/secrets/${n}`, readOnly: true })),
        env: [],
        annotations: { 'volundr.io/secrets': names.join(',') },
      };
    },
    async cleanupSession(sessionId) {
      calls.push(`cleanupSession:${sessionId}`);
    },
  };
}
