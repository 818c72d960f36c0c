import { describe, expect, it } from 'vitest';
import { gitCredentialKey } from './render/session-render-input';
import { collectCredentials, type SessionSecretSource } from './session-credentials';
import { richSpec } from './test/session-spec-fixture';

const attempt = { id: 'sess-42-1', sessionId: 'sess-42', number: 1 };
const kubeSecrets = (values: Record<string, string>): SessionSecretSource => ({
  secretValue: async (ref) => values[`${ref.name}/${ref.key}`] ?? null,
});
const reporting = async () => ({ apiUrl: 'https://volundr.example.test', token: 'report' });

describe('collectCredentials', () => {
  it("takes a git credential from the owner's stored credentials first, then from the runtime's secrets", async () => {
    const asked: unknown[] = [];
    const values = await collectCredentials(richSpec(), attempt, kubeSecrets({ 'git-u-alice/token': 'kube:secret' }), {
      brokerReporting: reporting,
      secretValue: async (ref, session) => {
        asked.push([ref, session.ownerId]);
        return ref.name === 'git-u-alice' ? 'alice:stored-token' : null;
      },
    });
    expect(values?.data[gitCredentialKey(0)]).toBe('username=alice\npassword=stored-token\n');
    expect(asked[0]).toEqual([{ name: 'git-u-alice', key: 'token' }, 'u-alice']);
    expect(values).toMatchObject({ reportToken: true, apiUrl: 'https://volundr.example.test' });

    const fallback = await collectCredentials(
      richSpec(),
      attempt,
      kubeSecrets({ 'git-u-alice/token': 'kube:secret' }),
      {
        brokerReporting: reporting,
        secretValue: async () => null,
      },
    );
    expect(fallback?.data[gitCredentialKey(0)]).toBe('username=kube\npassword=secret\n');
  });

  it('says which repository has no credential anywhere', async () => {
    await expect(
      collectCredentials(richSpec(), attempt, kubeSecrets({}), {
        brokerReporting: reporting,
        secretValue: async () => null,
      }),
    ).rejects.toThrow(
      'The git credential for https://git.example.test/acme/app (secret "git-u-alice", key "token") does not exist.',
    );
  });
});
