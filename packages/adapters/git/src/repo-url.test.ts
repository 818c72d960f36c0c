import { describe, expect, it } from 'vitest';
import { createGitProviders } from './git-providers';
import { hostMatches, parseRepo } from './repo-url';

const providers = (extra: Partial<{ localMode: boolean; allowFileUrls: boolean }> = {}) =>
  createGitProviders({
    providers: [
      { name: 'github', kind: 'github', orgs: ['acme'] },
      { name: 'ghe', kind: 'github', webUrl: 'https://ghe.corp.example' },
      { name: 'gitlab', kind: 'gitlab', webUrl: 'https://gitlab.corp.example', orgs: ['platform/tools'] },
      { name: 'internal', kind: 'git', hosts: ['git.corp.example', '*.svc.example', 'local.test:8443'] },
      { name: 'lab', kind: 'git', hosts: ['lab.test'], allowHttp: true },
    ],
    ...extra,
  });

describe('parseRepo', () => {
  it.each([
    ['https://github.com/acme/api', 'github.com', ['acme', 'api'], 'https://github.com/acme/api.git'],
    ['https://GitHub.com/acme/api.git/', 'github.com', ['acme', 'api'], 'https://github.com/acme/api.git'],
    ['github.com/acme/api', 'github.com', ['acme', 'api'], 'https://github.com/acme/api.git'],
    ['git@github.com:acme/api.git', 'github.com', ['acme', 'api'], 'git@github.com:acme/api.git'],
    ['ssh://git@github.com/acme/api', 'github.com', ['acme', 'api'], 'ssh://git@github.com/acme/api.git'],
    ['https://local.test:8443/a/b', 'local.test:8443', ['a', 'b'], 'https://local.test:8443/a/b.git'],
    ['https://github.com:443/acme/api', 'github.com', ['acme', 'api'], 'https://github.com/acme/api.git'],
  ])('reads %s', (input, host, segments, url) => {
    expect(parseRepo(input)).toMatchObject({ host, segments, url });
  });

  it.each([
    ['--upload-pack=touch /tmp/pwned', 'option'],
    ['-uhttps://github.com/acme/api', 'option'],
    ['https://github.com/acme/--upload-pack=x', 'starts with "-"'],
    ['https://github.com/acme/api --upload-pack=x', 'spaces'],
    ['ext::sh -c touch% /tmp/x', 'spaces'],
    ['ext::sh', 'remote helpers'],
    ['https://github.com/acme/../../etc/passwd', '".."'],
    ['https://github.com/acme/%2e%2e/x', 'percent'],
    ['https://user:secret@github.com/acme/api', 'credentials'],
    ['https://ghp_token@github.com/acme/api', 'credentials'],
    ['https://github.com/acme/api?x=1', 'queries'],
    ['https://github.com/acme/api#frag', 'fragments'],
    ['https://github.com/acme/api\nhttps://evil', 'control'],
    ['https://github.com/acme/\u0000api', 'control'],
    ['git://github.com/acme/api', 'scheme'],
    ['ftp://github.com/acme/api', 'scheme'],
    ['https://github.com/', 'names a host'],
    ['https://github.com//api', 'empty segment'],
    ['C:\\repos\\x', 'backslashes'],
    ['', 'empty'],
  ])('refuses %j with a clear reason', (input, why) => {
    expect(() => parseRepo(input)).toThrow(
      expect.objectContaining({ code: 'REPO_NOT_ALLOWED', message: expect.stringContaining(why) }),
    );
  });
});

describe('hostMatches', () => {
  it.each([
    ['github.com', 'github.com', true],
    ['github.com:8443', 'github.com', false],
    ['git.local:8443', 'git.local:8443', true],
    ['a.svc.example', '*.svc.example', true],
    ['svc.example', '*.svc.example', false],
    ['evilsvc.example', '*.svc.example', false],
    ['anything.test', '*', true],
  ])('%s vs %s → %s', (host, pattern, expected) => {
    expect(hostMatches(host, pattern)).toBe(expected);
  });
});

describe('the registry allow-list', () => {
  it('routes by host and organisation, and clones GitHub/GitLab over https without credentials', () => {
    const p = providers();
    expect(p.resolve('git@github.com:acme/api.git')).toMatchObject({
      provider: 'github',
      kind: 'github',
      path: 'acme/api',
      cloneUrl: 'https://github.com/acme/api.git',
    });
    expect(p.resolve('https://ghe.corp.example/anyone/x')).toMatchObject({
      provider: 'ghe',
      cloneUrl: 'https://ghe.corp.example/anyone/x.git',
    });
    expect(p.resolve('https://gitlab.corp.example/platform/tools/cli/x')).toMatchObject({
      provider: 'gitlab',
      path: 'platform/tools/cli/x',
    });
    expect(p.resolve('https://a.svc.example/team/repo')).toMatchObject({ provider: 'internal', kind: 'git' });
    expect(p.resolve('http://lab.test/x/y')).toMatchObject({ provider: 'lab', cloneUrl: 'http://lab.test/x/y.git' });
  });

  it.each([
    ['https://github.com/other/api', 'not an allowed organisation on github.com (allowed: acme)'],
    ['https://gitlab.corp.example/platform/toolsx/y', 'not an allowed organisation'],
    ['https://evil.example/acme/api', 'evil.example is not a configured git host'],
    ['https://169.254.169.254/latest/meta-data', 'is not a configured git host'],
    ['http://git.corp.example/a/b', 'http:// is not allowed for git.corp.example'],
    ['https://github.com/acme/api/extra', 'a GitHub repository is owner/name'],
    ['https://git.corp.example:9999/a/b', 'is not a configured git host'],
    ['file:///srv/repos/x', 'file:// repositories are allowed in local mode only'],
  ])('refuses %s', (repo, why) => {
    expect(() => providers().resolve(repo)).toThrow(
      expect.objectContaining({ code: 'REPO_NOT_ALLOWED', message: expect.stringContaining(why) }),
    );
  });

  it('accepts file:// only in local mode with allowFileUrls', () => {
    expect(providers({ localMode: true, allowFileUrls: true }).resolve('file:///srv/repos/x.git')).toMatchObject({
      provider: 'local-files',
      cloneUrl: 'file:///srv/repos/x.git',
    });
    expect(() => providers({ localMode: true }).resolve('file:///srv/repos/x')).toThrow(/turned off/);
    expect(() => providers({ allowFileUrls: true }).resolve('file:///srv/repos/x')).toThrow(/local mode only/);
  });

  it('refuses "*" hosts outside local mode at configuration time', () => {
    expect(() => createGitProviders({ providers: [{ name: 'any', kind: 'git', hosts: ['*'] }] })).toThrow(
      /local mode only/,
    );
    expect(() =>
      createGitProviders({ providers: [{ name: 'any', kind: 'git', hosts: ['*'] }], localMode: true }),
    ).not.toThrow();
  });
});
