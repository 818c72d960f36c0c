/**
 * The client commands run as a user runs them (the built CLI, child processes, a pty for the
 * interactive parts) against one `volundr up` on a temporary data dir.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZChatEvent } from '@volundr/contracts/chat';
import { type Chronicle, ZChronicle } from '@volundr/contracts/chronicles';
import { ZSession } from '@volundr/contracts/sessions';
import { type FakeAnthropic, startFakeAnthropic } from '@volundr/testkit/fake-anthropic/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveBrowserLogin, approveDeviceLogin } from './test/oidc-browser';
import { freePort, type RunningUp, runCli, spawnCli, startUp } from './test/run-cli';
import { ptyCli } from './test/run-pty';

let dataDir: string;
let configHome: string;
let up: RunningUp;
let fake: FakeAnthropic;
let adminPassword: string;
/** The environment of every CLI run: its own config dir, no inherited server or token. */
let env: NodeJS.ProcessEnv;

const credentialsFile = () => join(configHome, 'volundr', 'credentials.json');
const storedLogin = () =>
  Object.values(
    (JSON.parse(readFileSync(credentialsFile(), 'utf8')) as { logins: Record<string, Record<string, unknown>> }).logins,
  )[0];
const editStoredLogin = (change: (login: Record<string, unknown>) => void) => {
  const file = JSON.parse(readFileSync(credentialsFile(), 'utf8')) as {
    logins: Record<string, Record<string, unknown>>;
  };
  for (const login of Object.values(file.logins)) change(login);
  writeFileSync(credentialsFile(), JSON.stringify(file));
};
const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { ...env, ...extra });

async function deviceLogin(): Promise<string> {
  const login = spawnCli(['login'], env);
  const [, uri, code] = await login.waitFor(/open (\S+)\nand enter the code (\S+)\n/);
  await approveDeviceLogin({ verificationUri: uri!, userCode: code!, username: 'admin', password: adminPassword });
  const result = await login.exited;
  expect(result.stderr).not.toMatch(/error/);
  expect(result.code).toBe(0);
  return result.stdout;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'volundr-cli-'));
  configHome = mkdtempSync(join(tmpdir(), 'volundr-cli-config-'));
  fake = await startFakeAnthropic();
  // The local runtime hands the model API settings of `volundr up`'s environment to sessions.
  up = await startUp(dataDir, await freePort(), {
    ANTHROPIC_BASE_URL: fake.url,
    ANTHROPIC_API_KEY: 'test-key',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  });
  adminPassword = await new Promise<string>((resolve) => {
    // "running at" and the password arrive in separate writes.
    const check = () => {
      const match = /with password (\S+)/.exec(up.output());
      if (match) {
        up.child.stdout?.off('data', check);
        resolve(match[1]!);
      }
    };
    up.child.stdout?.on('data', check);
    check();
  });
  env = {
    XDG_CONFIG_HOME: configHome,
    VOLUNDR_DATA_DIR: dataDir,
    VOLUNDR_SERVER: '',
    VOLUNDR_TOKEN: '',
    VOLUNDR_CONTEXT: '',
  };
});

afterAll(async () => {
  // Sessions are processes of their own: stop them before the platform.
  if (up) for (const name of ['demo', 'demo-2']) await cli(['sessions', 'stop', name]);
  await up?.stop();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(configHome, { recursive: true, force: true });
});

describe('contexts and login', () => {
  it('adds and lists contexts in a private config file', async () => {
    const added = await cli(['context', 'add', 'local', '--server', `${up.url}/`]);
    expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining(`Context local → ${up.url} (current)`) });
    expect((await cli(['context', 'add', 'elsewhere', '--server', 'https://volundr.example.com'])).code).toBe(0);
    const listed = await cli(['context', 'ls', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual({
      currentContext: 'local',
      contexts: [
        { name: 'local', server: up.url, current: true, loggedIn: false },
        { name: 'elsewhere', server: 'https://volundr.example.com', current: false, loggedIn: false },
      ],
    });
    expect(statSync(join(configHome, 'volundr', 'config.json')).mode & 0o777).toBe(0o600);
    const bad = await cli(['context', 'use', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'error: no context named "nope"\nknown contexts: local, elsewhere (see: volundr context ls)\n',
    );
  });

  it('says who is not logged in, and how to log in', async () => {
    const result = await cli(['whoami']);
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `error: not logged in to ${up.url}\nlog in with: volundr login (scripts: pass --token or set VOLUNDR_TOKEN)\n`,
    );
  });

  it('logs in with the device flow approved on the embedded provider, and whoami shows the user', async () => {
    expect(await deviceLogin()).toBe(`Logged in to ${up.url} as Administrator (admin)\n`);
    expect(statSync(credentialsFile()).mode & 0o777).toBe(0o600);
    const who = await cli(['whoami']);
    expect(who.code).toBe(0);
    expect(who.stdout).toMatch(
      /^user {8}admin \(Administrator <admin@localhost>\)\ntenant {6}default\nroles {7}volundr:admin\n/,
    );
    const json = JSON.parse((await cli(['whoami', '--json'])).stdout);
    expect(json).toMatchObject({
      server: up.url,
      context: 'local',
      principal: { userId: 'admin', tenantId: 'default' },
    });
  });

  it('refreshes an expired access token with the refresh token, and a refused one once', async () => {
    const before = storedLogin()!;
    editStoredLogin((login) => {
      login.expiresAt = new Date(Date.now() - 60_000).toISOString();
    });
    expect((await cli(['whoami'])).code).toBe(0);
    const refreshed = storedLogin()!;
    expect(refreshed.accessToken).not.toBe(before.accessToken);
    expect(refreshed.refreshToken).not.toBe(before.refreshToken);
    expect(Date.parse(String(refreshed.expiresAt))).toBeGreaterThan(Date.now());

    // A token the server refuses (revoked, signed with a retired key…) is renewed once, then used.
    editStoredLogin((login) => {
      login.accessToken = 'not-a-token';
    });
    expect((await cli(['whoami'])).code).toBe(0);
    expect(storedLogin()!.accessToken).not.toBe('not-a-token');
  });

  it('asks to log in again when the refresh token is refused, and forgets the login', async () => {
    editStoredLogin((login) => {
      login.expiresAt = new Date(Date.now() - 60_000).toISOString();
      login.refreshToken = 'revoked';
    });
    const result = await cli(['whoami']);
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `error: your login to ${up.url} has expired (the identity provider refused the refresh token)\nlog in again with: volundr login\n`,
    );
    expect(JSON.parse(readFileSync(credentialsFile(), 'utf8'))).toEqual({ logins: {} });
  });

  it('logs in through a browser: authorization code + PKCE with a loopback redirect', async () => {
    const login = spawnCli(['login', '--browser', '--no-open'], env);
    const [, url] = await login.waitFor(/open this URL in a browser:\n(\S+)\n/);
    expect(url).toContain('code_challenge_method=S256');
    const callback = await approveBrowserLogin({ url: url!, username: 'admin', password: adminPassword });
    expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
    const page = await fetch(callback);
    expect(await page.text()).toContain('You are logged in');
    expect(await login.exited).toMatchObject({ code: 0, stdout: `Logged in to ${up.url} as Administrator (admin)\n` });
    expect((await cli(['whoami'])).code).toBe(0);
  });

  it('takes a token from --token or VOLUNDR_TOKEN instead of the stored login', async () => {
    const token = (
      await cli(['dev', 'token', '--data-dir', dataDir, '--user', 'carol', '--role', 'viewer'])
    ).stdout.trim();
    const viaFlag = await cli(['--token', token, 'whoami', '--json']);
    expect(JSON.parse(viaFlag.stdout).principal).toMatchObject({ userId: 'carol', roles: ['volundr:viewer'] });
    const viaEnv = await cli(['whoami'], { VOLUNDR_TOKEN: token });
    expect(viaEnv.stdout).toContain('token from VOLUNDR_TOKEN');
    const refused = await cli(['whoami'], { VOLUNDR_TOKEN: 'nonsense' });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(
      new RegExp(`^error: ${up.url} refused your credentials: .*\ncheck the token in VOLUNDR_TOKEN\n$`),
    );
  });
});

describe('sessions, chat and terminal', () => {
  let sessionId: string;
  const workspace = () => join(dataDir, 'sessions', sessionId, 'workspace');

  it('creates a session showing its provisioning steps, and ends with its URLs', async () => {
    const result = await cli(['sessions', 'create', 'demo', '--model', 'claude-sonnet-4-5']);
    expect(result.stderr).toMatch(
      /✓ Created session demo\n(.*\n)*… Building the session spec: Core \(1\/\d+\)\n(.*\n)*✓ Submitted to local\n(.*\n)*✓ \w+ ready \(1\/\d\)\n(.*\n)*✓ Running\n/,
    );
    expect(result.code).toBe(0);
    const [, id] = /\/s\/([^/]+)\/ws\/chat/.exec(result.stdout) ?? [];
    sessionId = id!;
    expect(result.stdout).toBe(
      `Session demo is running\n  chat      ${up.url.replace('http', 'ws')}/s/${sessionId}/ws/chat   volundr chat demo\n  terminal  ${up.url}/s/${sessionId}/terminal/   volundr attach demo\n  IDE       ${up.url}/s/${sessionId}/ide/\n`,
    );
  });

  it('lists sessions as JSON for scripts', async () => {
    const result = await cli(['sessions', 'ls', '--json']);
    expect(result.code).toBe(0);
    const sessions = ZSession.array().parse(JSON.parse(result.stdout));
    expect(sessions.map((s) => [s.id, s.name, s.state])).toEqual([[sessionId, 'demo', 'running']]);
    expect((await cli(['sessions', 'ls'])).stdout).toMatch(
      /^NAME +STATE +MODEL +SOURCE +CREATED +ID\ndemo +running +claude-sonnet-4-5 +blank +/,
    );
  });

  it('sends one message to the real Claude Code CLI, streams the answer and the tool use, exits 0', async () => {
    fake.setScript([
      {
        text: 'Writing it.',
        toolUse: {
          name: 'Write',
          input: { file_path: join(workspace(), 'from-claude.txt'), content: 'written by claude\n' },
        },
      },
      { text: 'Done.' },
    ]);
    const result = await cli(['chat', 'demo', '-m', 'write the file', '--approve']);
    expect(result.stderr).toContain(`⏺ Write(${join(workspace(), 'from-claude.txt')})`);
    expect(result).toMatchObject({ code: 0, stdout: 'Writing it.\nDone.\n' });
    expect(readFileSync(join(workspace(), 'from-claude.txt'), 'utf8')).toBe('written by claude\n');
  });

  it('prints protocol events as NDJSON and exits non-zero when the turn fails', async () => {
    fake.setScript([{ error: { status: 400, type: 'invalid_request_error', message: 'scripted failure' } }]);
    const result = await cli(['chat', 'demo', '-m', 'this will fail', '--json']);
    expect(result.code).toBe(5);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => ZChatEvent.parse(JSON.parse(line)));
    expect(events[0]?.type).toBe('ready');
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['user_message', 'turn_started']));
    expect(events.at(-1)?.type).toBe('turn_failed');
  });

  it('chats interactively in a terminal: the answer streams, Ctrl-C twice leaves', async () => {
    fake.setScript([{ text: 'Hello from the fake model.' }]);
    const chat = ptyCli(['chat', 'demo'], env);
    await chat.waitFor(/Connected to demo \(claude-sonnet-4-5 via [\w-]+\)/);
    chat.pty.write('say hello\r');
    await chat.waitFor(/Hello from the fake model\.\r?\n/);
    await chat.waitFor(/tokens.*s\)/);
    chat.pty.write('\x03');
    await chat.waitFor(/Ctrl-C again, or Ctrl-D, to leave/);
    chat.pty.write('\x03');
    expect(await chat.exited).toBe(0);
  });

  it('attaches this terminal to the session terminal, runs a command, follows a resize, detaches with Ctrl-]', async () => {
    const term = ptyCli(['attach', 'demo'], env, { cols: 100, rows: 30 });
    await term.waitFor(/Attached to demo's terminal\. Detach with ctrl-\]\./);
    term.pty.write('cat from-claude.txt; echo "sum=$((40+2))"\r');
    await term.waitFor(/written by claude[\r\n]+sum=42/);
    const before = term.mark();
    term.pty.resize(120, 40);
    term.pty.write('stty size\r');
    await term.waitFor(/[\r\n]40 120[\r\n]/, { since: before });
    term.pty.write('\x1d');
    expect(await term.exited).toBe(0);
    expect(term.output()).toContain('Detached from demo.');
  });

  it('says so when a session does not exist (exit 1)', async () => {
    for (const args of [
      ['sessions', 'show', 'nope'],
      ['chat', 'nope', '-m', 'hi'],
      ['sessions', 'stop', 'nope'],
    ]) {
      const result = await cli(args);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: no session "nope" on ${up.url}\nlist your sessions: volundr sessions ls --all\n`,
      });
    }
  });

  it('stops the session and waits for it to be stopped', async () => {
    const result = await cli(['sessions', 'stop', 'demo']);
    expect(result).toMatchObject({ code: 0, stdout: 'Session demo is stopped\n' });
    expect(result.stderr).toContain('✓ Stopped');
  });

  it('lists and shows the chronicle the broker reported, and reforges a running session from it', async () => {
    // The broker reports in the background and completes the chronicle after the stop: ask
    // until it is complete (30 s at most).
    const deadline = Date.now() + 30_000;
    let chronicle: Chronicle | undefined;
    while (chronicle?.status !== 'complete' && Date.now() < deadline) {
      const listed = await cli(['chronicles', 'ls', '--json']);
      expect(listed.code).toBe(0);
      chronicle = ZChronicle.array()
        .parse(JSON.parse(listed.stdout))
        .find((c) => c.sessionId === sessionId);
    }
    expect(chronicle).toMatchObject({ sessionName: 'demo', model: 'claude-sonnet-4-5', status: 'complete' });
    const shown = await cli(['chronicles', 'show', 'demo']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^chronicle +${chronicle!.id} complete`));
    expect(shown.stdout).toMatch(/\nsession +demo \(/);
    expect(shown.stdout).toMatch(/\nFiles 1 changed, \+1 −0\n {2}new +from-claude\.txt \+1 −0\n/);

    const reforged = await cli(['chronicles', 'reforge', chronicle!.id, '--name', 'demo-2']);
    expect(reforged.stderr).toContain('✓ Running');
    expect(reforged.stdout).toMatch(new RegExp(`^Reforged ${chronicle!.id} as demo-2 \\(running\\)\n  chat `));
    const session = ZSession.parse(JSON.parse((await cli(['sessions', 'show', 'demo-2', '--json'])).stdout));
    expect(session).toMatchObject({ state: 'running', parentChronicleId: chronicle!.id });
    expect(await cli(['chronicles', 'show', 'nope'])).toMatchObject({
      code: 1,
      stderr: 'error: no chronicle "nope"\nlist them: volundr chronicles ls\n',
    });
  });
});

describe('bad input', () => {
  it('reports an unreachable server clearly within 5 s', async () => {
    const port = await freePort();
    const started = Date.now();
    const result = await cli(['--server', `http://127.0.0.1:${port}`, 'whoami']);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `error: cannot reach the Volundr server at http://127.0.0.1:${port} (connection refused)\nis it running, and is the address right? (it comes from --server; see: volundr context ls)\n`,
    );
  });
});
