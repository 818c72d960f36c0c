import { ZGitClone } from '@volundr/contracts/session-spec';
import { describe, expect, it } from 'vitest';
import { fakeGitRepositories } from '../../testing/fake-git-repositories';
import { aLaunch, aSession } from '../../testing/session-builder';
import { aSessionContext } from '../../testing/session-context-builder';
import { gitContributor } from './git-contributor';

const repo = 'https://git.example.test/org/api';

describe('Git contributor', () => {
  it('contributes nothing for a blank session', async () => {
    expect(await gitContributor(fakeGitRepositories()).contribute(aSessionContext())).toEqual({
      values: {},
      podSpec: {},
    });
  });

  it('clones the source at the workspace root and template repos at their paths, without tokens', async () => {
    const session = aSession()
      .with({
        source: { type: 'git', repo, branch: 'feature/x', baseBranch: 'main' },
        launch: aLaunch({ repos: [{ url: 'https://git.example.test/org/lib', path: 'vendor/lib' }] }),
      })
      .build();
    const { values } = await gitContributor(fakeGitRepositories()).contribute(aSessionContext(session));
    const repos = values.git?.repos ?? [];
    expect(repos.map((r) => [r?.path, r?.branch, r?.baseBranch])).toEqual([
      ['.', 'feature/x', 'main'],
      ['vendor/lib', 'main', undefined],
    ]);
    for (const r of repos) {
      expect(ZGitClone.safeParse(r).success).toBe(true);
      expect(r?.cloneUrl).not.toContain('@');
      expect(r?.credential).toEqual({ name: 'git-u-alice', key: 'token' });
    }
  });

  it('lets the registry refuse a repository', async () => {
    const session = aSession()
      .with({ source: { type: 'git', repo: 'https://evil.test/x', branch: 'main' } })
      .build();
    await expect(gitContributor(fakeGitRepositories()).contribute(aSessionContext(session))).rejects.toMatchObject({
      code: 'REPO_NOT_ALLOWED',
    });
  });
});
