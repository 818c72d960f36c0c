/**
 * The diff endpoints of a real in-process broker (real OIDC validation against a test issuer,
 * built-in roles) over HTTP, with real git in a temp workspace cloned from a local "origin".
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangedFiles, DiffFile } from '@volundr/contracts/diff';
import { createSessionClient, SessionApiError } from '@volundr/sdk/session-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, STRANGER, startHarness } from '../test/broker-harness';

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.test',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.test',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

const byPath = (files: DiffFile[]) => Object.fromEntries(files.map((f) => [f.path, f]));

describe('a git workspace', () => {
  let h: Harness;
  let outside: string;
  let ws: string;
  let indexBefore: string;
  const api = (path: string) => `http://127.0.0.1:${h.skuld.port}${path}`;
  const get = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(api(path), init);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const owner = async () => ({ authorization: `Bearer ${await h.token()}` });
  const client = () => createSessionClient({ apiUrl: api('/s/sess-1/api'), token: () => h.token() });

  beforeAll(async () => {
    outside = mkdtempSync(join(tmpdir(), 'skuld-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'not yours\n');
    h = await startHarness({
      prepareWorkspace(workspace) {
        const seed = join(outside, 'seed');
        mkdirSync(seed);
        git(seed, 'init', '-q', '-b', 'main');
        writeFileSync(join(seed, 'keep.txt'), 'a\nb\nc\n');
        writeFileSync(join(seed, 'old.txt'), 'one\ntwo\nthree\nfour\nfive\n');
        writeFileSync(join(seed, 'del.txt'), 'gone soon\n');
        writeFileSync(join(seed, 'README.md'), '# app\n');
        git(seed, 'add', '.');
        git(seed, 'commit', '-q', '-m', 'initial');
        git(outside, 'clone', '-q', '--bare', seed, 'origin.git');
        git(outside, 'clone', '-q', join(outside, 'origin.git'), workspace);
      },
    });
    ws = h.workspace;
    // After the broker recorded the session start: a commit on a branch, then uncommitted work.
    git(ws, 'switch', '-q', '-c', 'feature');
    writeFileSync(join(ws, 'feature.txt'), 'committed on the branch\n');
    git(ws, 'add', 'feature.txt');
    git(ws, 'commit', '-q', '-m', 'Add the feature');
    writeFileSync(join(ws, 'keep.txt'), 'a\nb\nc\nd\n');
    renameSync(join(ws, 'old.txt'), join(ws, 'new.txt'));
    unlinkSync(join(ws, 'del.txt'));
    writeFileSync(join(ws, 'hello.txt'), 'hello from volundr\n');
    writeFileSync(join(ws, 'logo.bin'), Buffer.from([0, 1, 2, 255, 0, 7]));
    writeFileSync(join(ws, 'naïve name.txt'), 'unicode path\n');
    symlinkSync(outside, join(ws, 'escape'));
    symlinkSync(join(outside, 'secret.txt'), join(ws, 'secret-link'));
    indexBefore = sha(join(ws, '.git', 'index'));
  });
  afterAll(async () => {
    await h?.close();
    rmSync(outside, { recursive: true, force: true });
  });

  it('lists changes against the last commit: added, modified, deleted, renamed, untracked, binary', async () => {
    const listed = await client().changedFiles({ base: 'last-commit' });
    expect(listed.workspace).toBe('git');
    expect(listed.base.kind).toBe('last-commit');
    expect(listed.base.label).toMatch(/^HEAD [0-9a-f]{7,} \(Add the feature\)$/);
    const files = byPath(listed.files);
    expect(files['keep.txt']).toEqual({
      path: 'keep.txt',
      oldPath: null,
      status: 'modified',
      insertions: 1,
      deletions: 0,
      binary: false,
    });
    expect(files['new.txt']).toMatchObject({ status: 'renamed', oldPath: 'old.txt', insertions: 0, deletions: 0 });
    expect(files['del.txt']).toMatchObject({ status: 'deleted', insertions: 0, deletions: 1 });
    expect(files['hello.txt']).toMatchObject({ status: 'added', insertions: 1, deletions: 0 });
    expect(files['logo.bin']).toMatchObject({ status: 'added', binary: true, insertions: null, deletions: null });
    expect(files['naïve name.txt']).toMatchObject({ status: 'added' });
    expect(files['feature.txt']).toBeUndefined();
    // The broker's own state dir (inside this workspace) is never a change.
    expect(listed.files.some((f) => f.path.startsWith('.volundr'))).toBe(false);
    expect(listed.totals.files).toBe(listed.files.length);
    expect(listed.truncated).toBe(false);
  });

  it('compares with the session start and with the default branch (committed work included)', async () => {
    const start = await client().changedFiles({ base: 'session-start' });
    expect(start.base).toMatchObject({ kind: 'session-start', label: 'the workspace when the session started' });
    expect(start.base.takenAt).not.toBeNull();
    expect(byPath(start.files)['feature.txt']).toMatchObject({ status: 'added', insertions: 1 });
    const branch = await client().changedFiles({ base: 'default-branch' });
    expect(branch.base.label).toMatch(/^origin\/main at merge base [0-9a-f]{7,} \(initial\)$/);
    expect(Object.keys(byPath(branch.files)).sort()).toEqual(Object.keys(byPath(start.files)).sort());
    // The default base is session-start.
    expect((await client().changedFiles()).base.kind).toBe('session-start');
  });

  it('serves one file’s unified diff: added, modified, renamed (by either path), binary, unicode', async () => {
    const hello = await client().fileDiff('hello.txt', { base: 'last-commit' });
    expect(hello.file.status).toBe('added');
    expect(hello.diff).toContain('new file mode 100644');
    expect(hello.diff).toContain('+hello from volundr');
    const keep = await client().fileDiff('keep.txt', { base: 'last-commit' });
    expect(keep.diff).toMatch(/@@ -1,3 \+1,4 @@\n a\n b\n c\n\+d\n/);
    const renamed = await client().fileDiff('old.txt', { base: 'last-commit' });
    expect(renamed.file).toMatchObject({ path: 'new.txt', oldPath: 'old.txt', status: 'renamed' });
    expect(renamed.diff).toContain('rename from old.txt');
    const binary = await client().fileDiff('logo.bin', { base: 'last-commit' });
    expect(binary).toMatchObject({ diff: '', truncated: false, file: { binary: true } });
    const unicode = await client().fileDiff('naïve name.txt', { base: 'session-start' });
    expect(unicode.diff).toContain('+unicode path');
    const deleted = await client().fileDiff('del.txt');
    expect(deleted.diff).toContain('-gone soon');
  });

  it('answers 404 for a file without changes', async () => {
    const error = await client()
      .fileDiff('README.md', { base: 'last-commit' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionApiError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it.each([
    ['../etc/passwd', /must not contain "\.\."/],
    ['a/../../x', /must not contain "\.\."/],
    ['/etc/passwd', /not absolute/],
    ['./hello.txt', /no empty or "\." segments/],
    ['a//b', /no empty or "\." segments/],
    ['x\u0000y', /control characters/],
    ['escape/secret.txt', /symbolic link/],
    ['escape', /symbolic link/],
    ['secret-link', /symbolic link/],
  ])('refuses the path %s with 400 naming the parameter', async (path, message) => {
    const { status, body } = await get(`/api/diff?base=last-commit&path=${encodeURIComponent(path)}`, {
      headers: await owner(),
    });
    expect(status).toBe(400);
    const error = body.error as { code: string; message: string; issues: { path: string[]; message: string }[] };
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues[0]?.path).toEqual(['path']);
    expect(error.issues.map((i) => i.message).join(' ')).toMatch(message);
  });

  it.each([
    ['/api/diff/files?base=yesterday', 'base'],
    ['/api/diff/files?base=last-commit&base=session-start', 'base'],
    ['/api/diff/files?color=1', ''],
    ['/api/diff?base=last-commit', 'path'],
    [`/api/diff?path=${'x'.repeat(5000)}`, 'path'],
  ])('refuses %s with 400 naming %s', async (path, parameter) => {
    const { status, body } = await get(path, { headers: await owner() });
    expect(status).toBe(400);
    const error = body.error as { code: string; message: string; issues: { path: string[] }[] };
    expect(error.code).toBe('VALIDATION_FAILED');
    if (parameter) expect(error.issues[0]?.path).toEqual([parameter]);
    else expect(error.message).toContain('unknown parameter(s): color');
  });

  it('authenticates like the chat: 401 without or with a bad token, 403 without read, query token and prefix work', async () => {
    expect((await get('/api/diff/files')).status).toBe(401);
    expect((await get('/api/diff/files', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const expired = await h.token({}, { expiresIn: -60 });
    expect((await get('/api/diff/files', { headers: { authorization: `Bearer ${expired}` } })).body).toMatchObject({
      error: { code: 'UNAUTHENTICATED' },
    });
    const stranger = await get('/api/diff/files', { headers: { authorization: `Bearer ${await h.token(STRANGER)}` } });
    expect(stranger).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const otherTenant = await h.token({ ...STRANGER, tenant: 'tenant-2', roles: ['volundr:admin'] });
    expect((await get('/api/diff/files', { headers: { authorization: `Bearer ${otherTenant}` } })).status).toBe(403);
    const viewer = await h.token({ ...STRANGER, roles: ['volundr:viewer'] });
    expect((await get('/api/diff/files', { headers: { authorization: `Bearer ${viewer}` } })).status).toBe(200);
    const query = await get(`/s/sess-1/api/diff/files?base=last-commit&access_token=${await h.token()}`);
    expect(query.status).toBe(200);
    expect((query.body as ChangedFiles).files.length).toBeGreaterThan(0);
    expect((await get('/api/nope', { headers: await owner() })).status).toBe(404);
    expect((await get('/api/diff/files', { method: 'POST', headers: await owner() })).status).toBe(405);
  });

  it('never writes to the repository: its index and status are untouched', async () => {
    expect(sha(join(ws, '.git', 'index'))).toBe(indexBefore);
    expect(git(ws, 'status', '--porcelain')).toContain('?? hello.txt');
  });
});

describe('a blank workspace (no repository)', () => {
  let h: Harness;
  const client = () => createSessionClient({ apiUrl: `http://127.0.0.1:${h.skuld.port}/api`, token: () => h.token() });

  beforeAll(async () => {
    h = await startHarness({
      prepareWorkspace(workspace) {
        writeFileSync(join(workspace, 'notes.txt'), 'first\n');
        mkdirSync(join(workspace, 'node_modules', 'dep'), { recursive: true });
        writeFileSync(join(workspace, 'node_modules', 'dep', 'index.js'), 'x\n');
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('compares with the workspace at session start through the broker’s private store', async () => {
    writeFileSync(join(h.workspace, 'notes.txt'), 'first\nsecond\n');
    mkdirSync(join(h.workspace, 'src'));
    writeFileSync(join(h.workspace, 'src', 'hello.txt'), 'hello\n');
    writeFileSync(join(h.workspace, 'node_modules', 'dep', 'index.js'), 'changed\n');
    const listed = await client().changedFiles();
    expect(listed.workspace).toBe('plain');
    expect(listed.files.map((f) => [f.path, f.status, f.insertions, f.deletions])).toEqual([
      ['notes.txt', 'modified', 1, 0],
      ['src/hello.txt', 'added', 1, 0],
    ]);
    const diff = await client().fileDiff('src/hello.txt');
    expect(diff.diff).toContain('+hello');
    // The workspace itself stays a plain directory.
    expect(() => git(h.workspace, 'rev-parse', '--git-dir')).toThrow();
  });

  it('says why the git bases are unavailable (409)', async () => {
    for (const base of ['last-commit', 'default-branch'] as const) {
      const error = await client()
        .changedFiles({ base })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DIFF_BASE_UNAVAILABLE', status: 409 });
      expect((error as Error).message).toContain('not a git repository');
    }
  });

  it('keeps the first baseline across a broker restart', async () => {
    await h.restart();
    const listed = await client().changedFiles();
    expect(listed.files.map((f) => f.path)).toEqual(['notes.txt', 'src/hello.txt']);
  });
});
