/**
 * Plays the API process in tests: creates a local PodManager, starts one session, prints every
 * progress event and the final status as JSON lines on stdout, then idles until it is killed —
 * so a test can SIGKILL "the API" and prove that the session outlives it.
 * Input: `LOCAL_RUNTIME_TEST_INPUT` = JSON `{ options, spec, attempt }`.
 */
import { isPodReady, type PodStatus } from '@volundr/core/sessions/ports/pod-manager';
import { createLocalPodManager } from '../local-pod-manager';

const input = JSON.parse(process.env.LOCAL_RUNTIME_TEST_INPUT ?? '{}');
const write = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

const manager = await createLocalPodManager(input.options);
manager.onProgress((progress) => write({ event: 'progress', ...progress }));
const handle = await manager.start(input.spec, input.attempt);
write({ event: 'started', handle });
let reported = false;
const report = (status: PodStatus) => {
  if (reported || !(isPodReady(status) || status.phase === 'failed')) return;
  reported = true;
  stop();
  write({ event: 'status', status });
};
const stop = manager.watch([handle], (_, status) => report(status));
report(await manager.status(handle));
setInterval(() => {}, 60_000);
