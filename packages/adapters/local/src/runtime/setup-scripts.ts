import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { runLogged } from './run-logged';

export class SetupScriptError extends Error {
  override readonly name = 'SetupScriptError';
}

export interface SetupOptions {
  scripts: readonly string[];
  workspaceDir: string;
  env: Record<string, string>;
  logFile: string;
  /** Written after all scripts succeeded; holds a hash of them. */
  markerFile: string;
  onProgress: (step: string, message: string) => void;
  signal?: AbortSignal;
  timeoutMs: number;
}

const shell = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
const hashOf = (scripts: readonly string[]) => createHash('sha256').update(JSON.stringify(scripts)).digest('hex');

/**
 * Runs the template's setup scripts in the workspace, one after another, each output line
 * reported as progress. They run once per workspace: a restart that keeps the workspace skips
 * them unless the scripts changed (they typically install dependencies or create branches,
 * which must not run twice).
 */
export async function runSetupScripts(options: SetupOptions): Promise<'ran' | 'skipped' | 'none'> {
  if (options.scripts.length === 0) return 'none';
  const hash = hashOf(options.scripts);
  const done = await readFile(options.markerFile, 'utf8').catch(() => null);
  if (done?.includes(hash)) return 'skipped';
  const total = options.scripts.length;
  for (const [index, script] of options.scripts.entries()) {
    const step = `setup ${index + 1}/${total}`;
    options.onProgress(step, `running setup script ${index + 1} of ${total}`);
    const result = await runLogged({
      command: shell,
      args: ['-c', script],
      cwd: options.workspaceDir,
      env: options.env,
      logFile: options.logFile,
      onLine: (line) => options.onProgress(step, line),
      ...(options.signal ? { signal: options.signal } : {}),
      timeoutMs: options.timeoutMs,
    });
    if (result.code !== 0) {
      const why = result.interrupted ?? `exit code ${result.code ?? result.signal}`;
      const output = result.tail.slice(-3).join(' / ');
      throw new SetupScriptError(`Setup script ${index + 1} of ${total} failed (${why})${output ? `: ${output}` : ''}`);
    }
  }
  await writeFile(options.markerFile, `${JSON.stringify({ scripts: hash, at: new Date().toISOString() })}\n`);
  return 'ran';
}
