import { isDomainError } from '@volundr/core/errors';
import { describe, expect, it } from 'vitest';
import { createAllowedHostsGit } from './allowed-hosts-git';
import { createNoSecretInjection, createNoSecrets } from './no-secret-backend';
import { createRequestResources } from './request-resources';

const owner = { ownerId: 'u', tenantId: 't' };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isDomainError(error) ? error.code : String(error);
  }
}

describe('allowed-hosts git registry', () => {
  const git = createAllowedHostsGit({ allowedHosts: ['github.com', '*.corp.example'] });
  const validate = (repo: string) => codeOf(git.validate({ repo, branch: 'main' }, owner));

  it('allows the listed hosts in every form people type', async () => {
    for (const repo of [
      'https://github.com/org/app',
      'github.com/org/app',
      'git@github.com:org/app.git',
      'ssh://git@github.com/org/app.git',
      'https://git.corp.example/team/app',
    ])
      expect(await validate(repo), repo).toBe('resolved');
  });

  it('refuses other hosts, credentials in URLs, bare hosts, odd schemes and file URLs', async () => {
    for (const repo of [
      'https://gitlab.com/org/app',
      'https://corp.example/app', // the domain itself is not one of its subdomains
      'https://evilcorp.example.com/app',
      'https://user:token@github.com/org/app',
      'https://token@github.com/org/app',
      'https://github.com',
      'ftp://github.com/org/app',
      'file:///srv/git/app',
      'not a url',
    ])
      expect(await validate(repo), repo).toBe('REPO_NOT_ALLOWED');
  });

  it('hands out clone information without credentials', async () => {
    expect(await git.cloneInfo({ repo: 'github.com/org/app', branch: 'dev', path: '.' }, owner)).toEqual({
      repoUrl: 'github.com/org/app',
      cloneUrl: 'https://github.com/org/app',
      branch: 'dev',
      path: '.',
      credential: null,
    });
  });

  it('says so when no host is allowed, and takes file URLs only when told', async () => {
    const none = createAllowedHostsGit({ allowedHosts: [] });
    await expect(none.validate({ repo: 'https://github.com/o/r', branch: 'main' }, owner)).rejects.toThrow(
      /no git hosts are allowed/,
    );
    const local = createAllowedHostsGit({ allowedHosts: ['*'], allowFileUrls: true });
    expect(await codeOf(local.validate({ repo: 'file:///srv/git/app', branch: 'main' }, owner))).toBe('resolved');
    expect(await codeOf(local.validate({ repo: 'https://anything.example/x', branch: 'main' }, owner))).toBe(
      'resolved',
    );
  });
});

describe('request resources', () => {
  it('gives what was asked or the defaults, and refuses GPUs beyond the maximum', async () => {
    const resources = createRequestResources({ defaultCpu: '2', defaultMemory: '4Gi', maxGpu: 1 });
    expect((await resources.resolve({}, owner)).resources).toEqual({
      requests: { cpu: '2', memory: '4Gi' },
      limits: { memory: '4Gi' },
    });
    const gpu = await resources.resolve({ cpu: '500m', memory: '1Gi', gpu: 1 }, owner);
    expect(gpu).toMatchObject({ resources: { limits: { gpu: 1 } }, nodeSelector: { gpu: 'true' } });
    expect(await codeOf(resources.resolve({ gpu: 2 }, owner))).toBe('BAD_REQUEST');
  });
});

describe('no secret backend', () => {
  const ref = { sessionId: 's', ownerId: 'u', tenantId: 't' };
  it('adds nothing for sessions that need nothing and refuses the ones that name credentials', async () => {
    expect(await createNoSecretInjection().podAdditions(ref, [])).toMatchObject({ volumes: [], env: [] });
    await expect(createNoSecretInjection().podAdditions(ref, ['gh'])).rejects.toThrow(/"gh" cannot be given/);
    expect(await createNoSecrets().envFor(ref, [])).toEqual([]);
    await expect(createNoSecrets().envFor(ref, [{ env: 'T', secret: 'db', key: 'k' }])).rejects.toThrow(/"db"/);
  });
});
