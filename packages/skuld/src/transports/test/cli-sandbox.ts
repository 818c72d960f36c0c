/**
 * Temporary workspace + home for one real CLI run against a fake model API, and the bits of
 * process inspection the crash tests need. Everything lives under the OS temp dir and is
 * removed by `cleanup()`.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const modules = resolve(import.meta.dirname, '../../../node_modules');
/** The native binary itself: the `.bin/claude` shim would put a shell between us and it. */
export const claudeBinary = join(modules, '@anthropic-ai/claude-code/bin/claude.exe');
export const codexBinary = join(modules, '.bin/codex');

export interface CliSandbox {
  workspace: string;
  home: string;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

async function dirs(prefix: string) {
  const root = await mkdtemp(join(tmpdir(), `volundr-${prefix}-`));
  const workspace = join(root, 'workspace');
  const home = join(root, 'home');
  await mkdir(workspace);
  await mkdir(home);
  return { root, workspace, home, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export async function claudeSandbox(anthropicUrl: string): Promise<CliSandbox> {
  const d = await dirs('claude');
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: d.home,
    ANTHROPIC_BASE_URL: anthropicUrl,
    ANTHROPIC_API_KEY: 'test-key',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
  return { workspace: d.workspace, home: d.home, env, cleanup: d.cleanup };
}

/** Codex reads its provider from `$CODEX_HOME/config.toml`, so argv stays free of settings. */
export async function codexSandbox(openaiUrl: string): Promise<CliSandbox> {
  const d = await dirs('codex');
  await writeFile(
    join(d.home, 'config.toml'),
    [
      'model_provider = "fake"',
      '[model_providers.fake]',
      'name = "fake"',
      `base_url = "${openaiUrl}"`,
      'env_key = "OPENAI_API_KEY"',
      'wire_api = "responses"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'),
  );
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: d.home,
    CODEX_HOME: d.home,
    OPENAI_API_KEY: 'test-key',
  };
  return { workspace: d.workspace, home: d.home, env, cleanup: d.cleanup };
}

/** Pids of this process's children running `name` (read from /proc: Linux only). */
export async function childPids(name: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may contain spaces, so split after the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && comm.includes(name)) pids.push(Number(entry));
    } catch {
      // the process went away while we looked
    }
  }
  return pids;
}
