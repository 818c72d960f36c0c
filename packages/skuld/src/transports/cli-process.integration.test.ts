/** The CLI child wrapper with real (tiny) shell processes. */
import { silentLogger } from '@volundr/core/shared/ports/logger';
import { describe, expect, it } from 'vitest';
import { startCliProcess } from './cli-process';

function sh(script: string) {
  const lines: string[] = [];
  let sawLine!: () => void;
  const firstLine = new Promise<void>((resolve) => (sawLine = resolve));
  const proc = startCliProcess({
    binary: '/bin/sh',
    args: ['-c', script],
    cwd: '/',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    onLine: (l) => {
      lines.push(l);
      sawLine();
    },
    logger: silentLogger,
  });
  return { proc, lines, firstLine };
}

describe('startCliProcess', () => {
  it('delivers stdout lines, reads stdin, and reports the exit with a stderr tail', async () => {
    const { proc, lines } = sh('read x; echo "got $x"; echo second; echo oops >&2; exit 3');
    proc.endInput('hello\n');
    const exit = await proc.exited;
    expect(lines).toEqual(['got hello', 'second']);
    expect(exit).toMatchObject({ code: 3, signal: null, stderrTail: 'oops\n' });
    expect(proc.hasExited).toBe(true);
    expect(proc.writeLine('late')).toBe(false);
  });

  it('does not wait forever for a background command that keeps stdout open', async () => {
    const { proc, lines } = sh('sleep 30 & echo $!');
    const started = Date.now();
    const exit = await proc.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    process.kill(Number(lines[0]), 'SIGKILL');
  });

  it('escalates to SIGKILL when the process ignores SIGTERM', async () => {
    const { proc, firstLine } = sh('trap "" TERM; echo ready; while true; do sleep 0.1; done');
    await firstLine;
    const exit = await proc.stop(300);
    expect(exit.signal).toBe('SIGKILL');
  });

  it('reports a binary that cannot be started', async () => {
    const proc = startCliProcess({
      binary: '/nonexistent/cli',
      args: [],
      cwd: '/',
      env: {},
      onLine: () => undefined,
      logger: silentLogger,
    });
    const exit = await proc.exited;
    expect(exit.spawnError).toContain('ENOENT');
    expect(proc.writeLine('x')).toBe(false);
  });
});
