import type { CredentialRecord } from '@volundr/core/credentials/ports/credential-records';
import { describe, expect, it } from 'vitest';
import { renderCredentialFiles } from './local-secret-injection';

const record = (
  name: string,
  type: CredentialRecord['type'],
  metadata: Record<string, string> = {},
): CredentialRecord => ({
  id: name,
  ownerId: 'alice',
  tenantId: 't',
  name,
  type,
  keys: [],
  metadata,
  managedBy: 'user',
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

describe('what credentials become in a local session', () => {
  const { files, env } = renderCredentialFiles('/data/run/credentials/s-1', [
    { record: record('openai', 'api_key'), data: { OPENAI_API_KEY: "it's $HOME `x`" } },
    {
      record: record('box', 'git_credential', { host: 'git.test:8443' }),
      data: { username: 'me', password: 'p@ss:w/rd' },
    },
    {
      record: record('integration-gl', 'oauth_token', { host: 'gl.test', protocol: 'http' }),
      data: { access_token: 't1', username: 'oauth2' },
    },
    {
      record: record('deploy', 'ssh_key'),
      data: {
        private_key: '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----',
        known_hosts: 'git.test ssh-ed25519 AAAA',
      },
    },
    { record: record('notes', 'generic'), data: { TOKEN: 'g', 'multi.line': 'a\nb' } },
  ]);

  it('writes api keys as a sourceable env file with single quotes', () => {
    expect(files.get('api-keys.env')).toBe(`OPENAI_API_KEY='it'\\''s $HOME \`x\`'\n`);
    expect(files.get('openai')).toBe(files.get('api-keys.env'));
    expect(files.get('notes')).toBe(`TOKEN='g'\n`);
  });

  it('writes git credentials as credential-store lines, percent-encoded, per protocol', () => {
    expect(files.get('git-credentials')).toBe('https://me:p%40ss%3Aw%2Frd@git.test:8443\nhttp://oauth2:t1@gl.test\n');
  });

  it('writes ssh keys with their known hosts', () => {
    expect(files.get('ssh/deploy')).toBe(
      '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n',
    );
    expect(files.get('ssh/known_hosts')).toBe('git.test ssh-ed25519 AAAA\n');
  });

  it('gives the processes paths and git configuration, never a value', () => {
    expect(env).toMatchObject({
      VOLUNDR_CREDENTIALS_DIR: '/data/run/credentials/s-1',
      VOLUNDR_API_KEYS_ENV: '/data/run/credentials/s-1/api-keys.env',
      VOLUNDR_GIT_CREDENTIALS: '/data/run/credentials/s-1/git-credentials',
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_VALUE_0: '',
      GIT_SSH_COMMAND:
        "ssh -o IdentitiesOnly=yes -i '/data/run/credentials/s-1/ssh/deploy' -o UserKnownHostsFile='/data/run/credentials/s-1/ssh/known_hosts' -o StrictHostKeyChecking=yes",
    });
    const values = JSON.stringify(env);
    for (const secret of ['p@ss', 't1', 'abc', "it's", 'TOKEN']) expect(values).not.toContain(secret);
  });
});
