/**
 * The session image's clone helper (deploy/images/session/volundr-git-clone), run for real with
 * the env the pod manager renders for the `git-clone` init container and the credential file the
 * per-session Secret holds, against git's own smart-HTTP server requiring Basic auth.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type GitHttpServer, startGitHttpServer } from '@volundr/testkit/git-http-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPod } from '../render/session-objects';
import { ZRuntimeSettings } from '../runtime-settings';
import { gitCredentialFile } from '../session-credentials';
import { testRuntime } from '../test/kube-session-world';
import { richSpec } from '../test/session-spec-fixture';

const run = promisify(execFile);
const script = resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'deploy',
  'images',
  'session',
  'volundr-git-clone',
);

let git: GitHttpServer;
let dir: string;

beforeAll(async () => {
  git = await startGitHttpServer({ auth: { username: 'alice', password: 's3cret-token' } });
  await git.createRepo('app', { 'README.md': '# app\n' });
  await git.createRepo('lib', { 'lib.txt': 'lib\n' });
  dir = await mkdtemp(join(tmpdir(), 'volundr-clone-'));
});
afterAll(async () => {
  await git?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The init container's env from the rendered pod, pointed at this machine's paths. */
async function cloneEnv(workspace: string, credentialsDir: string) {
  const spec = richSpec();
  for (const repo of spec.git!.repos)
    repo.cloneUrl = `${git.url}/${repo.cloneUrl.endsWith('app.git') ? 'app' : 'lib'}.git`;
  spec.git!.repos[1]!.credential = { name: 'git-u-alice', key: 'token' };
  const pod = renderPod({
    spec,
    runtime: ZRuntimeSettings.parse(testRuntime),
    namespace: 'volundr-sessions',
    runtimeLabel: 'direct',
    attempt: { id: 'sess-42-1', number: 1 },
    credentials: { secretName: 's-sess-42-1-credentials', reportToken: false, apiUrl: null },
  });
  const init = pod.spec!.initContainers!.find((c) => c.name === 'git-clone')!;
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_TERMINAL_PROMPT: '0' };
  for (const e of init.env ?? []) env[e.name] = (e.value ?? '').replace('/var/run/volundr/credentials', credentialsDir);
  env.VOLUNDR_WORKSPACE = workspace;
  env.HOME = join(dir, 'home');
  return env;
}

describe('volundr-git-clone', () => {
  it('clones every repository with the credential from the mounted file, never in a URL or argument', async () => {
    const workspace = join(dir, 'ws');
    const credentials = join(dir, 'credentials');
    await mkdir(credentials, { recursive: true });
    for (const i of [0, 1])
      await writeFile(join(credentials, `git-credential-${i}`), gitCredentialFile('alice:s3cret-token'));
    const env = await cloneEnv(workspace, credentials);
    expect(Object.values(env).join(' ')).not.toContain('s3cret-token');

    // feature/x does not exist yet: it is made from main (the base branch).
    const { stdout } = await run(script, [], { env });
    expect(stdout).toContain(`cloning ${git.url}/app.git (main) into ${workspace}, new branch feature/x`);
    expect(await readFile(join(workspace, 'README.md'), 'utf8')).toBe('# app\n');
    expect(await readFile(join(workspace, 'vendor/lib/lib.txt'), 'utf8')).toBe('lib\n');
    const branch = await run('git', ['-C', workspace, 'branch', '--show-current']);
    expect(branch.stdout.trim()).toBe('feature/x');
    expect(git.authorizations).toContain(`Basic ${Buffer.from('alice:s3cret-token').toString('base64')}`);
    const config = await readFile(join(workspace, '.git', 'config'), 'utf8');
    expect(config).not.toContain('s3cret-token');

    // A restart on the kept workspace leaves the checkout alone.
    const again = await run(script, [], { env });
    expect(again.stdout).toContain(`kept ${git.url}/app.git in ${workspace} (already cloned)`);
  });

  it("fails with git's refusal when the credential is wrong", async () => {
    const workspace = join(dir, 'ws-bad');
    const credentials = join(dir, 'credentials-bad');
    await mkdir(credentials, { recursive: true });
    for (const i of [0, 1]) await writeFile(join(credentials, `git-credential-${i}`), gitCredentialFile('alice:wrong'));
    const env = await cloneEnv(workspace, credentials);
    const failure = await run(script, [], { env }).then(
      () => null,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toMatch(/Authentication failed|401/);
  });
});
