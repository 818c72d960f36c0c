import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runLogged } from './run-logged';

export interface GitCredential {
  username: string;
  password: string;
}

/**
 * A credential from a secret value: `user:password`, or a bare token (sent with the username
 * `x-access-token`, which GitHub, Gitea and GitLab accept for tokens).
 */
export function credentialFromSecret(value: string): GitCredential {
  const text = value.trim();
  const colon = text.indexOf(':');
  return colon > 0
    ? { username: text.slice(0, colon), password: text.slice(colon + 1) }
    : { username: 'x-access-token', password: text };
}

export interface CloneOptions {
  /** As the user named it, for messages. */
  repoUrl: string;
  /** Never carries credentials (ZCloneUrl refuses them). */
  cloneUrl: string;
  branch: string;
  baseBranch?: string;
  targetDir: string;
  credential: GitCredential | null;
  /** Where the credential helper reads from (0600, removed once the clone is done). */
  credentialFile: string;
  env: Record<string, string>;
  logFile: string;
  onLine: (line: string) => void;
  signal?: AbortSignal;
  timeoutMs: number;
}

export class CloneError extends Error {
  override readonly name = 'CloneError';
}

/**
 * The helper git asks for a password: it prints the 0600 file named by an environment
 * variable, so the secret is never in a URL, an argument (visible in `ps`) or git's config.
 */
const HELPER = '!f() { test "$1" = get && cat "$VOLUNDR_GIT_CREDENTIAL_FILE"; }; f';

/** `git clone --branch`, or from `baseBranch` onto a new `branch` when the branch does not exist yet. */
export async function cloneRepository(options: CloneOptions): Promise<'cloned' | 'kept'> {
  if (existsSync(join(options.targetDir, '.git'))) return 'kept';
  await mkdir(options.targetDir, { recursive: true });
  if ((await readdir(options.targetDir)).length > 0) {
    throw new CloneError(
      `Cannot clone ${options.repoUrl} into ${options.targetDir}: the directory is not empty and is not a git checkout.`,
    );
  }
  const env: Record<string, string> = {
    ...options.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GCM_INTERACTIVE: 'never',
  };
  // An empty helper first clears the user's helpers, so none of them stores this credential.
  const config = ['-c', 'credential.helper=', '-c', 'core.askPass='];
  if (options.credential) {
    await mkdir(dirname(options.credentialFile), { recursive: true, mode: 0o700 });
    await writeFile(
      options.credentialFile,
      `username=${options.credential.username}\npassword=${options.credential.password}\n`,
      { mode: 0o600 },
    );
    config.push('-c', `credential.helper=${HELPER}`);
    env.VOLUNDR_GIT_CREDENTIAL_FILE = options.credentialFile;
  }
  const git = (args: string[], cwd: string) =>
    runLogged({
      command: 'git',
      args: [...config, ...args],
      cwd,
      env,
      logFile: options.logFile,
      onLine: options.onLine,
      ...(options.signal ? { signal: options.signal } : {}),
      timeoutMs: options.timeoutMs,
    });
  const clone = (branch: string) =>
    git(
      ['clone', '--progress', '--branch', branch, '--', options.cloneUrl, options.targetDir],
      dirname(options.targetDir),
    );

  try {
    let result = await clone(options.branch);
    let created = false;
    const missingBranch = result.tail.some((line) => /Remote branch .* not found/i.test(line));
    if (result.code !== 0 && !result.interrupted && missingBranch && options.baseBranch) {
      result = await clone(options.baseBranch);
      created = result.code === 0;
    }
    if (result.code !== 0) {
      const why = result.interrupted ?? (result.tail.slice(-4).join(' / ') || `git exited with ${result.code}`);
      // git removes what it created in an empty target; make sure nothing half-cloned remains.
      await rm(join(options.targetDir, '.git'), { recursive: true, force: true });
      throw new CloneError(`Could not clone ${options.repoUrl} (branch ${options.branch}): ${why}`);
    }
    if (created) {
      const switched = await git(['switch', '-c', options.branch], options.targetDir);
      if (switched.code !== 0) {
        throw new CloneError(
          `Cloned ${options.repoUrl} at ${options.baseBranch} but could not create branch ${options.branch}: ${switched.tail.slice(-2).join(' / ')}`,
        );
      }
    }
    return 'cloned';
  } finally {
    await rm(options.credentialFile, { force: true });
  }
}
