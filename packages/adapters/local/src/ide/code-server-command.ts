import { join } from 'node:path';

export interface CodeServerCommandOptions {
  /** From `installCodeServer` / `findCodeServer`. */
  binPath: string;
  port: number;
  workspaceDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** The session's environment (PATH, HOME, …); XDG dirs are set on top of it. */
  env: Record<string, string | undefined>;
  /** Defaults to 127.0.0.1: the gateway is the only way in. */
  host?: string;
  /** Per-session XDG base; defaults to `<userDataDir>/xdg`. */
  xdgDir?: string;
  /** The Node that runs code-server; defaults to this process's (the one the install was checked with). */
  nodePath?: string;
}

export interface CodeServerCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Answers 200 once code-server is up; relative to `http://host:port`. */
  healthPath: '/healthz';
}

/** XDG base dirs under `baseDir`, so code-server's config, logs and caches stay out of the user's home. */
export function xdgEnv(baseDir: string): Record<string, string> {
  return {
    XDG_CONFIG_HOME: join(baseDir, 'config'),
    XDG_DATA_HOME: join(baseDir, 'data'),
    XDG_CACHE_HOME: join(baseDir, 'cache'),
    XDG_STATE_HOME: join(baseDir, 'state'),
  };
}

/**
 * Variables that change what code-server does and must not leak in from the launching
 * environment: PORT overrides --bind-addr's port; VSCODE_IPC_HOOK_CLI (set in any VS Code /
 * code-server terminal) makes code-server hand the folder to that other instance and exit;
 * PASSWORD/HASHED_PASSWORD belong to password auth, which we do not use.
 */
const droppedEnv = (key: string) =>
  key === 'PORT' || key === 'PASSWORD' || key === 'HASHED_PASSWORD' || key.startsWith('VSCODE_');

/**
 * argv + env to launch code-server for one session: no auth of its own (the gateway checks
 * the JWT and session access), loopback only, no telemetry or update checks, no
 * workspace-trust prompt, and every piece of state in per-session dirs.
 */
export function codeServerCommand(options: CodeServerCommandOptions): CodeServerCommand {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65_535) {
    throw new RangeError(`code-server port must be 1–65535, got ${options.port}`);
  }
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) {
    if (value !== undefined && !droppedEnv(key)) env[key] = value;
  }
  Object.assign(env, xdgEnv(options.xdgDir ?? join(options.userDataDir, 'xdg')));
  return {
    command: options.nodePath ?? process.execPath,
    args: [
      options.binPath,
      '--auth',
      'none',
      '--bind-addr',
      `${options.host ?? '127.0.0.1'}:${options.port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir',
      options.userDataDir,
      '--extensions-dir',
      options.extensionsDir,
      options.workspaceDir,
    ],
    env,
    healthPath: '/healthz',
  };
}
