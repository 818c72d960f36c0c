/**
 * Readiness of a CLI transport: the workspace is a directory and the binary really runs
 * (`--version` answers). A success is remembered per binary, so `/readyz` stays cheap.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

const working = new Set<string>();

/** The environment a CLI child gets: the configured one, with PATH defaulted (tools need it). */
export function cliEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', ...env };
}

export async function checkCli(
  binary: string,
  workspaceDir: string,
  env: Record<string, string>,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    if (!(await stat(workspaceDir)).isDirectory()) return { ok: false, reason: `${workspaceDir} is not a directory` };
  } catch {
    return { ok: false, reason: `workspace ${workspaceDir} does not exist` };
  }
  const path = await resolveBinary(binary, env.PATH ?? process.env.PATH ?? '');
  if (!path) return { ok: false, reason: `${binary} is not an executable file (or not on PATH)` };
  if (working.has(path)) return { ok: true };
  const version = await new Promise<string | Error>((resolve) => {
    execFile(path, ['--version'], { timeout: 15_000, env }, (error, stdout) => resolve(error ?? stdout.trim()));
  });
  if (version instanceof Error) return { ok: false, reason: `${binary} --version failed: ${version.message}` };
  working.add(path);
  return { ok: true };
}

async function resolveBinary(binary: string, pathVar: string): Promise<string | undefined> {
  const candidates = binary.includes('/') ? [binary] : pathVar.split(delimiter).map((d) => join(d, binary));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      if ((await stat(c)).isFile()) return c;
    } catch {
      // try the next one
    }
  }
  return undefined;
}
