import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** What a running `volundr up` records in its data dir, so `status`, `down` and `dev token` find it. */
export const ZUpState = z.object({
  pid: z.number().int().positive(),
  url: z.url(),
  port: z.number().int(),
  apiPid: z.number().int().positive().nullable(),
  issuer: z.url().nullable(),
  startedAt: z.string(),
});
export type UpState = z.infer<typeof ZUpState>;

export const statePath = (dataDir: string) => join(dataDir, 'run', 'up.json');

export function readUpState(dataDir: string): UpState | null {
  try {
    const parsed = ZUpState.safeParse(JSON.parse(readFileSync(statePath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeUpState(dataDir: string, state: UpState): void {
  mkdirSync(join(dataDir, 'run'), { recursive: true });
  writeFileSync(statePath(dataDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function removeUpState(dataDir: string, pid: number): void {
  const current = readUpState(dataDir);
  if (current && current.pid !== pid) return;
  rmSync(statePath(dataDir), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The state of a Volundr that is really running from this data dir, or null. */
export function runningUp(dataDir: string): UpState | null {
  const state = readUpState(dataDir);
  return state && isAlive(state.pid) ? state : null;
}
