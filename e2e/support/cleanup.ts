/**
 * Leaves the machine as the run found it. Sessions are detached processes that outlive
 * `volundr up` on purpose (an API restart must not cut a chat), so the run deletes them
 * through the API before stopping the platform; anything still running from the run's data
 * dir afterwards is reported (a leak of the runtime) and ended by its pid.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Session, SessionPage } from '@volundr/contracts/sessions';
import { devToken } from './broker-reports';

async function trpc<T>(url: string, token: string, path: string, input: unknown, method: 'GET' | 'POST'): Promise<T> {
  const target =
    method === 'GET' ? `${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}` : `${url}/trpc/${path}`;
  const res = await fetch(target, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(method === 'POST' ? { body: JSON.stringify(input) } : {}),
  });
  const body = (await res.json()) as { result?: { data: T }; error?: { message?: string } };
  if (!res.ok || !body.result) throw new Error(`${path}: ${res.status} ${body.error?.message ?? ''}`);
  return body.result.data;
}

/** Deletes every session of the platform (as its admin), so their processes stop. */
export async function deleteAllSessions(url: string, dataDir: string): Promise<void> {
  const token = devToken(dataDir, 'admin');
  const sessions: Session[] = [];
  let cursor: string | null = null;
  do {
    const page: SessionPage = await trpc<SessionPage>(
      url,
      token,
      'sessions.list',
      { includeArchived: true, limit: 100, ...(cursor ? { cursor } : {}) },
      'GET',
    );
    sessions.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  for (const session of sessions) {
    await trpc(url, token, 'sessions.delete', { id: session.id, cleanup: ['workspace_storage'] }, 'POST').catch(
      (error: unknown) => process.stderr.write(`[e2e] could not delete session ${session.name}: ${String(error)}\n`),
    );
  }
}

/** Processes whose command line mentions `dir` (Linux /proc), other than this one. */
export function processesUsing(dir: string): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let command: string;
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    if (command.includes(dir)) found.push({ pid, command });
  }
  return found;
}

export function endLeftovers(dir: string): void {
  const left = processesUsing(dir);
  if (left.length === 0) return;
  process.stderr.write(
    `[e2e] ${left.length} process(es) of the run's sessions outlived their deletion and the platform; ending them:\n` +
      left.map((p) => `  ${p.pid} ${p.command.slice(0, 160)}`).join('\n') +
      '\n',
  );
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
