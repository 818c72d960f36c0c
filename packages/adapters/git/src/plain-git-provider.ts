/**
 * A plain git host (or a `file://` repository in local mode): `git ls-remote`, nothing else.
 * git runs with no configuration of the server's user (empty HOME, no system config), no
 * terminal prompt, only the transports the repository's scheme needs, no redirects, a timeout,
 * and `--` before the URL. A credential goes through a one-shot helper reading a 0600 file in a
 * private temporary directory, removed afterwards: never in argv, the URL or the environment.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Branch } from '@volundr/contracts/git';
import { DomainError } from '@volundr/core/errors';
import type { GitAuth } from '@volundr/core/integrations/ports/git-providers';

const HELPER = '!f() { test "$1" = get && cat "$VOLUNDR_LS_REMOTE_CREDENTIAL"; }; f';

export interface LsRemoteResult {
  defaultBranch: string | null;
  branches: Branch[];
}

export interface LsRemoteOptions {
  url: string;
  scheme: 'https' | 'http' | 'file';
  auth: GitAuth;
  timeoutMs: number;
  /** For messages. */
  label: string;
  repo: string;
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const e = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
          timedOut: Boolean(e?.killed),
        });
      },
    );
  });
}

/** `git ls-remote --symref -- <url>`: the default branch and every branch head. */
export async function lsRemote(options: LsRemoteOptions): Promise<LsRemoteResult> {
  const home = await mkdtemp(join(tmpdir(), 'volundr-ls-remote-'));
  try {
    const config = [
      '-c',
      'credential.helper=',
      '-c',
      'core.askPass=',
      '-c',
      'http.followRedirects=false',
      '-c',
      'protocol.allow=never',
      '-c',
      `protocol.${options.scheme}.allow=always`,
    ];
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      XDG_CONFIG_HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      SSH_ASKPASS: '',
      GCM_INTERACTIVE: 'never',
      LANG: 'C',
    };
    if (options.auth.token) {
      const file = join(home, 'credential');
      const username = options.auth.username ?? 'x-access-token';
      if (/[\r\n]/.test(username + options.auth.token))
        throw new DomainError('BAD_REQUEST', `${options.label}: the stored git credential must be one line`);
      await writeFile(file, `username=${username}\npassword=${options.auth.token}\n`, { mode: 0o600 });
      config.push('-c', `credential.helper=${HELPER}`);
      env.VOLUNDR_LS_REMOTE_CREDENTIAL = file;
    }
    const result = await run([...config, 'ls-remote', '--symref', '--', options.url], env, options.timeoutMs);
    if (result.timedOut)
      throw new DomainError(
        'REPO_UNREACHABLE',
        `source.repo: ${options.repo} did not answer within ${options.timeoutMs} ms`,
        {
          repo: options.repo,
        },
      );
    if (result.code !== 0) {
      const why = result.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(-2)
        .join(' / ');
      throw new DomainError(
        'REPO_UNREACHABLE',
        `source.repo: ${options.repo} could not be read${why ? ` (${why})` : ''}; check the URL and that you have a credential for it`,
        { repo: options.repo },
      );
    }
    let defaultBranch: string | null = null;
    const branches: Branch[] = [];
    for (const line of result.stdout.split('\n')) {
      const symref = /^ref: refs\/heads\/(\S+)\tHEAD$/.exec(line);
      if (symref) {
        defaultBranch = symref[1]!;
        continue;
      }
      const head = /^([0-9a-f]{40,64})\trefs\/heads\/(\S+)$/.exec(line);
      if (head) branches.push({ name: head[2]!, commit: head[1]!, protected: null });
    }
    return { defaultBranch, branches };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
