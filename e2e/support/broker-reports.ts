/**
 * Reports in the broker's format (usage, timeline, final report) sent through the API's real
 * report endpoint, so a test can give a session a rich, known record (commits, usage spread
 * over time) that a short scripted chat does not produce. Everything after the endpoint —
 * ingestion, chronicle, aggregation, the pages — is the real thing; the journey spec covers
 * the broker's own reports.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ReportBatch } from '@volundr/contracts/reports';
import { REPO_ROOT } from './platform';

/** An access token for `user` minted by the embedded provider of the platform's data dir. */
export function devToken(dataDir: string, user = 'admin'): string {
  const cli = join(REPO_ROOT, 'bin/volundr');
  const result = spawnSync(process.execPath, [cli, 'dev', 'token', '--data-dir', dataDir, '--user', user], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`volundr dev token failed: ${result.stderr}`);
  return result.stdout.trim();
}

export async function reportAsBroker(url: string, token: string, sessionId: string, batch: ReportBatch): Promise<void> {
  const res = await fetch(`${url}/api/v1/sessions/${encodeURIComponent(sessionId)}/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(batch),
  });
  if (!res.ok) throw new Error(`reports for ${sessionId}: ${res.status} ${await res.text()}`);
}
