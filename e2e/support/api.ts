import type { Session } from '@volundr/contracts/sessions';
import { devToken } from './broker-reports';
import type { PlatformInfo } from './fixtures';

/** Creates (and starts) a blank session as `dana` through the API, for tests about what follows. */
export async function createBlankSession(platform: PlatformInfo, name: string): Promise<Session> {
  const token = devToken(platform.dataDir, 'dana');
  const res = await fetch(`${platform.url}/trpc/sessions.create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, model: 'claude-sonnet-4-5', source: { type: 'blank' } }),
  });
  const body = (await res.json()) as { result?: { data: Session }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`sessions.create ${name}: ${res.status} ${JSON.stringify(body.error)}`);
  return body.result.data;
}

/** Removes a session a test made (its processes stop with it), so later tests have the machine. */
export async function deleteSession(platform: PlatformInfo, id: string): Promise<void> {
  const token = devToken(platform.dataDir, 'dana');
  const res = await fetch(`${platform.url}/trpc/sessions.delete`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id, cleanup: ['workspace_storage'] }),
  });
  if (!res.ok) throw new Error(`sessions.delete ${id}: ${res.status} ${await res.text()}`);
}
