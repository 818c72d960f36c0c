import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { arch } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { xdgEnv } from './code-server-command';
import {
  type CodeServerInstall,
  type CodeServerInstallMarker,
  codeServerBinPath,
  codeServerInstallDir,
  INSTALL_MARKER_FILE,
  readCodeServerInstall,
} from './code-server-find';
import { findOnPath, type MissingPrerequisite, missingCodeServerPrerequisites } from './code-server-prerequisites';
import { CODE_SERVER_VERSION, RIPGREP_ASSET_VERSION, VSCODE_RIPGREP_PACKAGE_VERSION } from './code-server-version';

export type CodeServerInstallPhase = 'check' | 'prepare' | 'npm' | 'verify' | 'done';

/** One progress line for a person watching `volundr ide install`. */
export interface CodeServerInstallProgress {
  phase: CodeServerInstallPhase;
  message: string;
}

export interface InstallCodeServerOptions {
  dataDir: string;
  onProgress?: (progress: CodeServerInstallProgress) => void;
  /** Aborting kills npm and removes the partial install. */
  signal?: AbortSignal;
}

export type CodeServerInstallFailure = 'prerequisites' | 'npm' | 'verify' | 'aborted';

export class CodeServerInstallError extends Error {
  override readonly name = 'CodeServerInstallError';
  constructor(
    readonly reason: CodeServerInstallFailure,
    message: string,
    readonly missing: MissingPrerequisite[] = [],
  ) {
    super(message);
  }
}

// @vscode/ripgrep's asset names per Node arch (from its postinstall's getTarget on Linux).
const ripgrepTargets: Record<string, string> = {
  x64: 'x86_64-unknown-linux-musl',
  arm64: 'aarch64-unknown-linux-musl',
};

const TAIL_LINES = 30;

/**
 * Installs code-server (pinned to CODE_SERVER_VERSION) with npm from the registry into
 * `<dataDir>/tools/code-server`. Idempotent: a complete install is detected and returned at
 * once. The install happens in a staging dir that is renamed into place only after
 * code-server answered `--version`, so an interrupted or concurrent install never leaves a
 * half-populated directory behind that looks usable.
 */
export async function installCodeServer(options: InstallCodeServerOptions): Promise<CodeServerInstall> {
  const { dataDir, signal } = options;
  const progress = (phase: CodeServerInstallPhase, message: string) => options.onProgress?.({ phase, message });

  const existing = readCodeServerInstall(dataDir);
  if (existing) {
    progress('done', `code-server ${existing.version} is already installed at ${existing.binPath}`);
    return existing;
  }

  progress('check', 'checking prerequisites (Node 20, npm, ripgrep, build toolchain, GSSAPI headers)');
  const missing = missingCodeServerPrerequisites();
  if (missing.length > 0) {
    throw new CodeServerInstallError(
      'prerequisites',
      `cannot install code-server ${CODE_SERVER_VERSION}; missing:\n${missing.map((m) => `  - ${m.what}: ${m.fix}`).join('\n')}`,
      missing,
    );
  }

  const target = codeServerInstallDir(dataDir);
  const toolsDir = dirname(target);
  await mkdir(toolsDir, { recursive: true });
  const staging = await mkdtemp(join(toolsDir, '.code-server-staging-'));
  const tmpDir = await mkdtemp(join(toolsDir, '.code-server-tmp-'));
  const started = Date.now();
  try {
    progress('prepare', `staging in ${staging}`);
    await prepareRipgrepCache(tmpDir, signal);
    progress('prepare', 'ripgrep cache prepared from the system rg (keeps @vscode/ripgrep offline)');
    await writeFile(
      join(staging, 'package.json'),
      `${JSON.stringify({ name: 'volundr-code-server', private: true }, null, 2)}\n`,
    );

    progress('npm', `npm install code-server@${CODE_SERVER_VERSION} (about a minute; compiles native modules)`);
    await run(
      'npm',
      [
        'install',
        `code-server@${CODE_SERVER_VERSION}`,
        '--save-exact',
        '--no-audit',
        '--no-fund',
        '--no-update-notifier',
        '--foreground-scripts',
      ],
      { cwd: staging, env: npmEnv(tmpDir), signal, onLine: (line) => progress('npm', line), what: 'npm install' },
    );

    progress('verify', 'checking that code-server starts (--version)');
    const versionLine = await codeServerVersion(codeServerBinPath(staging), tmpDir, signal);
    if (!versionLine.startsWith(`${CODE_SERVER_VERSION} `) && versionLine !== CODE_SERVER_VERSION) {
      throw new CodeServerInstallError(
        'verify',
        `code-server --version printed "${versionLine}", expected ${CODE_SERVER_VERSION}`,
      );
    }
    const marker: CodeServerInstallMarker = {
      version: CODE_SERVER_VERSION,
      installedAt: new Date().toISOString(),
      nodeVersion: process.versions.node,
      installSeconds: Math.round((Date.now() - started) / 100) / 10,
    };
    await writeFile(join(staging, INSTALL_MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
    // mkdtemp made it 0700; session processes may run as other users and must be able to read it.
    await chmod(staging, 0o755);

    try {
      await moveAsideStale(target);
      await rename(staging, target);
    } catch (error) {
      // Another install finished first (the target exists): use it and drop ours.
      const winner = readCodeServerInstall(dataDir);
      if (!winner) throw error;
      progress('done', `code-server ${winner.version} was installed concurrently at ${winner.binPath}`);
      return winner;
    }
    const installed = readCodeServerInstall(dataDir);
    if (!installed)
      throw new CodeServerInstallError('verify', `the install at ${target} is not readable after the move`);
    progress(
      'done',
      `code-server ${installed.version} installed at ${installed.binPath} in ${marker.installSeconds} s`,
    );
    return installed;
  } catch (error) {
    if (signal?.aborted) throw new CodeServerInstallError('aborted', 'code-server install aborted');
    throw error;
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * An install dir without a valid marker for this version (another version, or one made by
 * hand) would make the rename fail; it is moved aside and removed. A complete install of this
 * version is left alone so a concurrent winner is kept.
 */
async function moveAsideStale(target: string): Promise<void> {
  const dataDir = dirname(dirname(target));
  if (readCodeServerInstall(dataDir)) return;
  const aside = `${target}.old-${process.pid}-${Date.now()}`;
  try {
    await rename(target, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}

/** `$TMPDIR/vscode-ripgrep-cache-<ver>/ripgrep-<asset ver>-<target>.tar.gz` holding the system `rg`. */
async function prepareRipgrepCache(tmpDir: string, signal: AbortSignal | undefined): Promise<void> {
  const target = ripgrepTargets[arch()];
  if (!target) {
    throw new CodeServerInstallError('prerequisites', `no offline ripgrep recipe for CPU architecture ${arch()}`);
  }
  const rg = findOnPath('rg');
  if (!rg) throw new CodeServerInstallError('prerequisites', 'ripgrep (rg) is not on PATH: apt-get install -y ripgrep');
  const cacheDir = join(tmpDir, `vscode-ripgrep-cache-${VSCODE_RIPGREP_PACKAGE_VERSION}`);
  await mkdir(cacheDir, { recursive: true });
  const tarball = join(cacheDir, `ripgrep-${RIPGREP_ASSET_VERSION}-${target}.tar.gz`);
  // The postinstall untars into its bin/ and expects `rg` at the archive root; -h stores the
  // file rather than a symlink when rg is one.
  await run('tar', ['-czhf', tarball, '-C', dirname(rg), 'rg'], { signal, what: 'tar (ripgrep cache)' });
}

// The user's own npm network settings survive (a registry mirror, a proxy, a CA, the cache).
const keptNpmSettings = new Set(
  ['registry', 'cache', 'proxy', 'https_proxy', 'noproxy', 'strict_ssl', 'cafile', 'ca', 'userconfig'].map(
    (key) => `npm_config_${key}`,
  ),
);

/**
 * The install's environment (TOOLCHAIN.md's offline steps): as root npm runs postinstalls only
 * with unsafe-perm; node-pty's postinstall runs `npx node-gyp` and must not prompt; two build
 * jobs on this 2-core machine; TMPDIR points at the prepared ripgrep cache. Other npm/pnpm
 * settings that a parent `pnpm run` put in the environment are dropped so they cannot leak in.
 */
function npmEnv(tmpDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const npmSetting = /^npm_(config|package|lifecycle)_|^npm_command$|^INIT_CWD$/i.test(key);
    if (npmSetting && !keptNpmSettings.has(key.toLowerCase())) continue;
    env[key] = value;
  }
  return {
    ...env,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    JOBS: '2',
    TMPDIR: tmpDir,
  };
}

/**
 * `code-server --version` prints e.g. "4.100.3 <commit> with Code 1.100.3", after log lines:
 * even this writes a default config and a log dir, so its XDG dirs point into our temp dir.
 */
async function codeServerVersion(binPath: string, tmpDir: string, signal: AbortSignal | undefined): Promise<string> {
  const lines: string[] = [];
  await run(process.execPath, [binPath, '--version'], {
    signal,
    what: 'code-server --version',
    env: { ...process.env, ...xdgEnv(join(tmpDir, 'xdg')) },
    onLine: (line) => lines.push(line),
  });
  return lines.find((line) => /^\d+\.\d+\.\d+(\s|$)/.test(line.trim()))?.trim() ?? lines.join(' | ');
}

interface RunOptions {
  what: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal | undefined;
  onLine?: (line: string) => void;
}

/** Runs a command to completion; on failure the error carries the output's last lines. */
function run(command: string, args: string[], options: RunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: options.signal,
      killSignal: 'SIGTERM',
    });
    const tail: string[] = [];
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onLine?.(line);
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.on('error', (error) => {
      reject(
        options.signal?.aborted
          ? new CodeServerInstallError('aborted', `${options.what} aborted`)
          : new CodeServerInstallError('npm', `${options.what} could not start: ${error.message}`),
      );
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const how = code === null ? `was killed by ${signal}` : `exited with ${code}`;
      reject(
        new CodeServerInstallError(
          options.what.startsWith('code-server') ? 'verify' : 'npm',
          `${options.what} ${how}; last output:\n${tail.join('\n')}`,
        ),
      );
    });
  });
}
