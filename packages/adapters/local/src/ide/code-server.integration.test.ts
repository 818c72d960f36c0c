import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@volundr/testkit/free-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeServerCommand } from './code-server-command';
import { findCodeServer } from './code-server-find';
import { installCodeServer } from './code-server-install';
import { CODE_SERVER_VERSION } from './code-server-version';

// The real code-server: installed once into a cache dir shared by test runs (the first run
// pays for the install), then started for a temp workspace, directly and behind a
// prefix-stripping proxy like the local gateway's.
const cacheDir = join(homedir(), '.cache', 'volundr-test', 'code-server');

let binPath: string;
let workDir: string;
let fakeHome: string;
let codeServer: ChildProcess;
let port: number;
let proxy: Server;
let proxyPort: number;

async function waitForHealthz(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before answering`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The local gateway's shape in miniature: `/s/x/ide/<rest>` → `http://127.0.0.1:<port>/<rest>`. */
function startStrippingProxy(prefix: string, targetPort: number): Promise<Server> {
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    if (!url.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    const upstream = request(
      {
        host: '127.0.0.1',
        port: targetPort,
        method: req.method,
        path: url.slice(prefix.length - 1),
        headers: req.headers,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Follows redirects by hand so each Location is resolved (relative URLs) against the URL it came from. */
async function fetchFollowing(url: string): Promise<{ url: string; response: Response }> {
  let current = url;
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetch(current, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
    current = new URL(location, current).href;
  }
  throw new Error(`too many redirects from ${url}`);
}

beforeAll(async () => {
  const found = findCodeServer(cacheDir);
  if (found) binPath = found;
  else {
    const started = Date.now();
    binPath = (await installCodeServer({ dataDir: cacheDir })).binPath;
    console.info(`code-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  workDir = await mkdtemp(join(tmpdir(), 'volundr-ide-'));
  fakeHome = join(workDir, 'home');
  const workspace = join(workDir, 'workspace');
  await mkdir(fakeHome);
  await mkdir(workspace);
  await writeFile(join(workspace, 'README.md'), '# hello from the workspace\n');
  port = await freePort();
  const command = codeServerCommand({
    binPath,
    port,
    workspaceDir: workspace,
    userDataDir: join(workDir, 'user-data'),
    extensionsDir: join(workDir, 'extensions'),
    env: { PATH: process.env.PATH, HOME: fakeHome, PORT: '1', VSCODE_IPC_HOOK_CLI: '/nonexistent.sock' },
  });
  const started = Date.now();
  codeServer = spawn(command.command, command.args, { env: command.env, stdio: 'ignore', detached: true });
  await waitForHealthz(`http://127.0.0.1:${port}${command.healthPath}`, codeServer, 60_000);
  console.info(`code-server answered /healthz ${((Date.now() - started) / 1000).toFixed(1)} s after spawn`);
  proxy = await startStrippingProxy('/s/x/ide/', port);
  proxyPort = (proxy.address() as AddressInfo).port;
}, 600_000);

afterAll(async () => {
  proxy?.close();
  if (codeServer?.pid && codeServer.exitCode === null) {
    const exited = new Promise((resolve) => codeServer.once('exit', resolve));
    process.kill(-codeServer.pid, 'SIGTERM'); // its own group: code-server forks a second node process
    await exited;
  }
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('code-server', () => {
  it('is found once installed, and a second install returns at once', async () => {
    expect(findCodeServer(cacheDir)).toBe(binPath);
    const started = Date.now();
    const again = await installCodeServer({ dataDir: cacheDir });
    expect(again).toEqual({ binPath, version: CODE_SERVER_VERSION });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('serves the workbench for the workspace and writes nothing to HOME', async () => {
    const { url, response } = await fetchFollowing(`http://127.0.0.1:${port}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('vscode-workbench-web-configuration');
    // code-server redirects / to ?folder=<the workspace>; the page carries its settings as JSON.
    expect(new URL(url).searchParams.get('folder')).toBe(join(workDir, 'workspace'));
    const settings = html.match(/id="vscode-workbench-web-configuration" data-settings="([^"]*)"/)?.[1];
    const config = JSON.parse((settings ?? '{}').replaceAll('&quot;', '"').replaceAll('&amp;', '&')) as {
      userDataPath?: string;
      enableWorkspaceTrust?: boolean;
      productConfiguration?: { codeServerVersion?: string };
    };
    expect(config).toMatchObject({
      userDataPath: join(workDir, 'user-data'),
      enableWorkspaceTrust: false,
      productConfiguration: { codeServerVersion: CODE_SERVER_VERSION },
    });
    expect(await readdir(fakeHome)).toEqual([]);
  });

  it('loads under /s/x/ide/ through a prefix-stripping proxy (relative URLs)', async () => {
    const { url, response } = await fetchFollowing(`http://127.0.0.1:${proxyPort}/s/x/ide/`);
    expect(new URL(url).pathname.startsWith('/s/x/ide/')).toBe(true);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('vscode-workbench-web-configuration');
    // Every script and stylesheet of the page must resolve under the prefix and load.
    const assets = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1] ?? '')
      .filter((href) => !href.startsWith('data:'))
      .map((href) => new URL(href.replaceAll('&amp;', '&'), url));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset.pathname.startsWith('/s/x/ide/'), asset.href).toBe(true);
      expect((await fetch(asset)).status, asset.href).toBe(200);
    }
  });
});
