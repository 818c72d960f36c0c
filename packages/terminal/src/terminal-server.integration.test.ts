import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, realpath, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTerminalProcess, type TerminalProcess } from './test/terminal-process';
import { TtydClient, type TtydClose, UpgradeRefusedError } from './test/ttyd-client';

// ttyd conformance: the real server process (the bundled bin) against a client written from
// the protocol description.

const SHELL = ['/bin/bash', '--norc', '--noprofile'];
const BASE = '/s/t1/terminal';

/** No such process, or only a zombie waiting for its (re)parent to reap it: it has ended. */
const processGone = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') === true;
  } catch {
    return true;
  }
};

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Resolves once no output arrived for `quietMs` (bytes already in flight have landed). */
async function outputSettles(client: TtydClient, quietMs: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = client.outputBytes;
  let lastChange = Date.now();
  while (Date.now() - lastChange < quietMs) {
    if (Date.now() > deadline) throw new Error('output never settled');
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (client.outputBytes !== last) {
      last = client.outputBytes;
      lastChange = Date.now();
    }
  }
}

/** A raw socket for frames before the handshake; resolves with how the server closed it. */
async function rawSession(url: string, frames: Buffer[], protocols = ['tty']): Promise<TtydClose> {
  const ws = new WebSocket(url, protocols);
  ws.on('error', () => {});
  const closed = new Promise<TtydClose>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new UpgradeRefusedError(res.statusCode ?? 0)));
  });
  for (const data of frames) ws.send(data);
  return closed;
}

describe('volundr-terminal speaks the ttyd protocol', () => {
  let workspace: string;
  let server: TerminalProcess;
  const wsUrl = () => `ws://127.0.0.1:${server.port}${BASE}/ws`;
  const connect = (extra: Partial<Parameters<typeof TtydClient.connect>[0]> = {}) =>
    TtydClient.connect({ url: server.pageUrl, columns: 100, rows: 30, ...extra });

  beforeAll(async () => {
    workspace = await realpath(await mkdtemp(join(tmpdir(), 'volundr-term-ws-')));
    server = await startTerminalProcess(
      [
        '--port',
        '0',
        '-b',
        `${BASE}/`,
        '-w',
        workspace,
        '-t',
        'fontSize=14',
        '-t',
        'disableLeaveAlert=true',
        '-t',
        'titleFixed=Session shell',
        '-e',
        'VOLUNDR_SESSION_MARK=from-env',
        '-e',
        'PS1=term$ ',
        '--',
        ...SHELL,
      ],
      { env: { ...process.env, VOLUNDR_TERMINAL_CREDENTIAL: '' } },
    );
  });
  afterAll(async () => {
    await server?.stop();
    await rm(workspace, { recursive: true, force: true });
  });

  it('serves ttyd routes under the base path', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    const redirect = await fetch(`${origin}${BASE}?x=1`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe(`${BASE}/?x=1`);
    expect(await (await fetch(`${origin}${BASE}/token`)).json()).toEqual({ token: '' });
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    const page = await fetch(`${origin}${BASE}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('src="assets/client.mjs"');
    const xterm = await fetch(`${origin}${BASE}/assets/xterm.mjs`);
    expect(xterm.status).toBe(200);
    expect(await xterm.text()).toContain('Terminal');
    expect((await fetch(`${origin}/token`)).status).toBe(404);
    expect((await fetch(`${origin}${BASE}/assets/../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${origin}${BASE}/token`, { method: 'POST' })).status).toBe(405);
  });

  it('answers the handshake with the window title and the preferences', async () => {
    const client = await connect();
    expect(client.title).toBe(`${SHELL.join(' ')} (${hostname()})`);
    expect(client.preferences).toEqual({ fontSize: 14, disableLeaveAlert: true, titleFixed: 'Session shell' });
    await client.close();
  });

  it('runs the shell in the configured cwd with the configured env, writable', async () => {
    const client = await connect();
    expect(await client.run('pwd')).toBe(workspace);
    expect(await client.run('echo "round-trip ünïcode ✓"')).toBe('round-trip ünïcode ✓');
    expect(await client.run('echo $VOLUNDR_SESSION_MARK $TERM')).toBe('from-env xterm-256color');
    expect(await client.run('env | grep -c ^VOLUNDR_TERMINAL_ || true')).toBe('0');
    await client.close();
  });

  it('starts the pty at the handshake size and follows resizes', async () => {
    const client = await connect();
    expect(await client.run('stty size')).toBe('30 100');
    client.resize(123, 45);
    expect(await client.run('stty size')).toBe('45 123');
    await client.close();
  });

  it('pause stops the output flow and resume restores it', async () => {
    const client = await connect();
    const since = client.mark();
    // A steady trickle (a batch every 20 ms for ~2.5 s): unpaused, output never stops for long.
    client.input('for i in $(seq 1 100); do seq 1 1500; sleep 0.02; done; echo FLOW-$((40+2))-DONE\r');
    await client.waitForOutput('\r\n1500\r\n', { since });
    client.pause();
    await outputSettles(client, 300);
    const frozen = client.outputBytes;
    const observedFrom = Date.now();
    await until('a one-second observation window', () => Date.now() - observedFrom >= 1000);
    expect(client.outputBytes).toBe(frozen);
    expect(client.output.slice(since)).not.toContain('FLOW-42-DONE');
    client.resume();
    await client.waitForOutput('FLOW-42-DONE', { since, timeoutMs: 30_000 });
    expect(client.outputBytes).toBeGreaterThan(frozen);
    await client.close();
  });

  it('closing the socket kills the shell and its jobs', async () => {
    const client = await connect();
    const shellPid = Number(await client.run('echo $$'));
    // Interactive bash also prints the job line "[1] <pid>"; the last line is $!.
    const jobPid = Number((await client.run('sleep 300 & echo $!')).split('\n').at(-1));
    expect(Number.isInteger(shellPid) && Number.isInteger(jobPid)).toBe(true);
    expect(processGone(shellPid)).toBe(false);
    expect(processGone(jobPid)).toBe(false);
    await client.close();
    await until(`shell ${shellPid} to end`, () => processGone(shellPid));
    await until(`job ${jobPid} to end`, () => processGone(jobPid));
  });

  it('closes with 1000 when the shell exits cleanly and 1011 when it fails', async () => {
    const clean = await connect();
    clean.input('exit\r');
    expect((await clean.closed).code).toBe(1000);
    const failing = await connect();
    failing.input('exit 3\r');
    expect((await failing.closed).code).toBe(1011);
  });

  it('refuses a WebSocket without the tty subprotocol', async () => {
    await expect(connect({ protocols: ['chat'] })).rejects.toMatchObject({ status: 400 });
    await expect(rawSession(wsUrl(), [], [])).rejects.toMatchObject({ status: 400 });
  });

  it('closes with 1008 on invalid frames before the handshake', async () => {
    expect((await rawSession(wsUrl(), [Buffer.from('0ls\r')])).code).toBe(1008);
    expect((await rawSession(wsUrl(), [Buffer.from('{"AuthToken":')])).code).toBe(1008);
    expect((await rawSession(wsUrl(), [Buffer.from('{"columns":"wide"}')])).code).toBe(1008);
    const oversize = Buffer.concat([Buffer.from('{"AuthToken":"'), Buffer.alloc(20_000, 97), Buffer.from('"}')]);
    expect((await rawSession(wsUrl(), [oversize])).code).toBe(1008);
  });

  it('ignores invalid frames after the handshake and keeps the shell', async () => {
    const client = await connect();
    client.sendRaw('z-unknown-command');
    client.sendRaw('1{"columns":"wide"}');
    client.sendRaw('1not json');
    client.sendRaw(Buffer.alloc(0));
    client.sendRaw(Buffer.concat([Buffer.from('0'), Buffer.alloc(1024 * 1024 + 10, 120)]));
    client.sendRaw('{"AuthToken":"","columns":10,"rows":10}');
    expect(await client.run('echo still-here; stty size')).toBe('still-here\r\n30 100');
    await client.close();
    expect(server.child.exitCode).toBeNull();
  });
});

describe('volundr-terminal with a credential', () => {
  let server: TerminalProcess;
  const credential = 'alice:s3cret';
  const token = Buffer.from(credential).toString('base64');

  beforeAll(async () => {
    server = await startTerminalProcess(['-p', '0', '-b', '/s/t2/terminal', '-O', '--', ...SHELL], {
      // The credential comes by environment, so it is not in the process list.
      env: { ...process.env, VOLUNDR_TERMINAL_CREDENTIAL: credential },
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('requires HTTP Basic on the page and /token, not on /healthz', async () => {
    const base = server.pageUrl;
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
    const page = await fetch(base);
    expect(page.status).toBe(401);
    expect(page.headers.get('www-authenticate')).toContain('Basic');
    expect((await fetch(`${base}token`, { headers: { Authorization: 'Basic d3Jvbmc6d3Jvbmc=' } })).status).toBe(401);
    const ok = await fetch(`${base}token`, { headers: { Authorization: `Basic ${token}` } });
    expect(await ok.json()).toEqual({ token });
  });

  it('refuses the upgrade without Basic and the session with a wrong AuthToken', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    await expect(
      TtydClient.connect({ url: server.pageUrl, authToken: token, headers: { Origin: origin } }),
    ).rejects.toMatchObject({ status: 401 });
    await expect(
      TtydClient.connect({ url: server.pageUrl, credential, authToken: 'bm9wZTpub3Bl', headers: { Origin: origin } }),
    ).rejects.toThrow(/1008/);
  });

  it('refuses an upgrade from another origin (-O)', async () => {
    await expect(
      TtydClient.connect({ url: server.pageUrl, credential, headers: { Origin: 'http://evil.example' } }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('runs the shell with Basic plus the AuthToken from /token', async () => {
    const client = await TtydClient.connect({
      url: server.pageUrl,
      credential,
      headers: { Origin: `http://127.0.0.1:${server.port}` },
    });
    expect(await client.run('echo authed')).toBe('authed');
    await client.close();
  });
});

describe.skipIf(process.getuid?.() !== 0)('volundr-terminal running shells as another user', () => {
  let server: TerminalProcess;
  let workspace: string;

  beforeAll(async () => {
    workspace = await realpath(await mkdtemp(join(tmpdir(), 'volundr-term-user-')));
    await chmod(workspace, 0o777);
    server = await startTerminalProcess(['-p', '0', '-u', '65534', '-g', '65534', '-w', workspace, '--', ...SHELL]);
  });
  afterAll(async () => {
    await server?.stop();
    await rm(workspace, { recursive: true, force: true });
  });

  it('drops to the uid, gid and only that group', async () => {
    const client = await TtydClient.connect({ url: server.pageUrl });
    expect(await client.run('id -u; id -g; id -G; pwd')).toBe(`65534\r\n65534\r\n65534\r\n${workspace}`);
    await client.close();
  });
});
