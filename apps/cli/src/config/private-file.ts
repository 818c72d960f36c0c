import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { CliError } from '../output';

/**
 * Reads a JSON file of the user's config dir, validated by `schema`; `fallback` when it does
 * not exist. A damaged file is reported with its path and what is wrong, never overwritten.
 */
export function readJsonFile<T>(path: string, schema: z.ZodType<T>, fallback: () => T): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback();
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not valid JSON`, `fix it, or delete it to start over`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(top level)';
    throw new CliError(`${path} is not a valid Volundr file: ${where}: ${issue?.message}`, 'fix it, or delete it');
  }
  return parsed.data;
}

/**
 * Writes JSON readable by the owner only (0600, directory 0700), atomically: a crash or a
 * concurrent reader never sees half a file.
 */
export function writePrivateJson(path: string, value: unknown): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    // The mode of `writeFileSync` is masked by the umask; make sure.
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
