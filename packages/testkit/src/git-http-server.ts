/**
 * Git's own smart-HTTP server (`git http-backend`, a CGI program) behind a tiny Node HTTP
 * server, so tests clone over real HTTP with real git on both ends. Repositories are bare repos
 * under `root`; `createRepo` makes one from a few files. Optional Basic auth proves credentials
 * reach git through a credential helper (the server records what it was sent).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GitHttpServerOptions {
  /** Require this Basic credential on every request (401 with a challenge otherwise). */
  auth?: { username: string; password: string };
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>`; a repo `name` is at `${url}/${name}.git`. */
  url: string;
  /** Where the bare repositories live. */
  root: string;
  /** Creates `<name>.git` with these files committed on `branch` (default `main`). */
  createRepo(name: string, files: Record<string, string>, options?: { branch?: string }): Promise<string>;
  /** The `Authorization` headers received so far (to assert that a credential was sent). */
  readonly authorizations: string[];
  close(): Promise<void>;
}

const gitEnv = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.test',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.test',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

async function backendPath(): Promise<string> {
  const { stdout } = await run('git', ['--exec-path']);
  return join(stdout.trim(), 'git-http-backend');
}

/** Runs the CGI program for one request and streams its answer (CGI headers, then the body). */
function serveCgi(backend: string, root: string, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://git.local');
  const child = spawn(backend, [], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      CONTENT_LENGTH: req.headers['content-length'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      HTTP_GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      REMOTE_ADDR: req.socket.remoteAddress ?? '',
      REMOTE_USER: 'test',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  req.pipe(child.stdin);
  let buffered = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) return void res.write(chunk);
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    const endLf = buffered.indexOf('\n\n');
    const at = end !== -1 ? end : endLf;
    if (at === -1) return;
    const head = buffered.subarray(0, at).toString('latin1');
    const body = buffered.subarray(at + (end !== -1 ? 4 : 2));
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon === -1) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    if (body.length > 0) res.write(body);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.on('close', (code) => {
    if (!headersDone) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`git http-backend exited with ${code}: ${stderr}`);
      return;
    }
    res.end();
  });
  child.on('error', (error) => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(error.message);
  });
}

export async function startGitHttpServer(options: GitHttpServerOptions = {}): Promise<GitHttpServer> {
  const root = await mkdtemp(join(tmpdir(), 'volundr-git-http-'));
  const backend = await backendPath();
  const authorizations: string[] = [];
  const expected = options.auth
    ? `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`
    : null;

  const server = createServer((req, res) => {
    const authorization = req.headers.authorization;
    if (authorization) authorizations.push(authorization);
    if (expected && authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"', 'content-type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    serveCgi(backend, root, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    root,
    authorizations,
    async createRepo(name, files, repoOptions = {}) {
      const branch = repoOptions.branch ?? 'main';
      const work = await mkdtemp(join(tmpdir(), 'volundr-git-work-'));
      try {
        const git = (...args: string[]) => run('git', args, { cwd: work, env: { ...process.env, ...gitEnv } });
        await git('init', '-q', '-b', branch);
        for (const [path, content] of Object.entries(files)) {
          await mkdir(dirname(join(work, path)), { recursive: true });
          await writeFile(join(work, path), content);
        }
        await git('add', '-A');
        await git('commit', '-q', '-m', 'initial');
        const bare = join(root, `${name}.git`);
        await run('git', ['clone', '-q', '--bare', work, bare], { env: { ...process.env, ...gitEnv } });
        return `${url}/${name}.git`;
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
