import type { CliExit } from './cli-process';

/** A one-line human explanation of why a CLI process ended, for `turn_failed` messages. */
export function describeExit(cli: string, exit: CliExit): string {
  if (exit.spawnError) return `${cli} could not be started: ${exit.spawnError}`;
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const lastLine = exit.stderrTail
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('Reading additional input from stdin'))
    .at(-1);
  return `${cli} ${how} during the turn${lastLine ? `: ${lastLine.slice(0, 500)}` : ''}`;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
