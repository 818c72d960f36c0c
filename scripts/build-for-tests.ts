// Vitest global setup of the integration project: integration tests run the built processes
// (API, CLI, Skuld, terminal) as a user would, so build them first. Turbo's cache makes this a
// ~1 s no-op when nothing changed (npm test has built everything already).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  const root = join(import.meta.dirname, '..');
  const filters = ['@volundr/api', '@volundr/cli', '@volundr/skuld', '@volundr/terminal'].flatMap((f) => [
    '--filter',
    f,
  ]);
  const result = spawnSync(
    join(root, 'node_modules/.bin/turbo'),
    ['run', 'build', ...filters, '--output-logs=errors-only', '--log-prefix=none'],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        TURBO_TELEMETRY_DISABLED: '1',
        PATH: `${join(root, '.tools/pnpm/node_modules/.bin')}:${process.env.PATH}`,
      },
    },
  );
  if (result.status !== 0) throw new Error('building the processes for the integration tests failed (see above)');
}
