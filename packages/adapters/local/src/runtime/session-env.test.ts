import { isDomainError } from '@volundr/core/errors';
import { describe, expect, it } from 'vitest';
import { credentialFromSecret } from './git-clone';
import { defaultEnvPassthrough, machineEnvironment, pickEnv, resolveEnv, toHostPath } from './session-env';

const host = {
  PATH: '/usr/bin',
  LANG: 'C.UTF-8',
  LC_ALL: 'C',
  ANTHROPIC_API_KEY: 'sk-ant',
  ANTHROPIC_BASE_URL: 'http://models',
  ANTHROPIC_OTHER: 'not listed',
  CLAUDE_CODE_X: '1',
  CODEX_HOME: '/c',
  OPENAI_API_KEY: 'sk-oa',
  DATABASE_URL: 'postgres://secret',
  VOLUNDR_ADMIN_TOKEN: 'nope',
};

describe('session environment', () => {
  it('passes the model API variables of the allowlist and the machine settings, nothing else', () => {
    expect(pickEnv(host, defaultEnvPassthrough)).toEqual({
      ANTHROPIC_API_KEY: 'sk-ant',
      ANTHROPIC_BASE_URL: 'http://models',
      CLAUDE_CODE_X: '1',
      CODEX_HOME: '/c',
      OPENAI_API_KEY: 'sk-oa',
    });
    expect(machineEnvironment(host)).toEqual({ PATH: '/usr/bin', LANG: 'C.UTF-8', LC_ALL: 'C' });
  });

  it('translates mounted paths to where they are on this machine', () => {
    const paths = [{ mountPath: '/volundr/workspace', hostPath: '/data/sessions/s/workspace' }];
    expect(toHostPath('/volundr/workspace', paths)).toBe('/data/sessions/s/workspace');
    expect(toHostPath('/volundr/workspace/src', paths)).toBe('/data/sessions/s/workspace/src');
    expect(toHostPath('/volundr/workspaces', paths)).toBe('/volundr/workspaces');
  });

  it('reads secret references, and names a missing secret without reading anything else', async () => {
    const secrets = async ({ name, key }: { name: string; key: string }) =>
      name === 'api' && key === 'token' ? 'value-1\n' : null;
    expect(
      await resolveEnv(
        [
          { name: 'A', value: '/volundr/workspace/x' },
          { name: 'B', secretRef: { name: 'api', key: 'token' } },
        ],
        secrets,
        [{ mountPath: '/volundr/workspace', hostPath: '/w' }],
      ),
    ).toEqual({ A: '/w/x', B: 'value-1' });
    const error = await resolveEnv([{ name: 'C', secretRef: { name: 'gone', key: 'k' } }], secrets, []).catch((e) => e);
    expect(isDomainError(error) && error.code).toBe('SPEC_INVALID');
    expect(error.message).toBe('The variable C refers to secret "gone" key "k", which does not exist on this machine.');
  });

  it('reads git credentials as user:password or a bare token', () => {
    expect(credentialFromSecret('alice:s3cr:et\n')).toEqual({ username: 'alice', password: 's3cr:et' });
    expect(credentialFromSecret('ghp_abc')).toEqual({ username: 'x-access-token', password: 'ghp_abc' });
  });
});
