import type { Command } from 'commander';
import type { GlobalOptions } from '../api/server-target';

/** The program-wide options (`--server`, `--token`, `--context`, `--debug`) as seen from a subcommand. */
export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

/** Help text listing examples, shown after a command's options. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/** Collects a repeatable option into a list. */
export const collect = (value: string, all: string[] = []) => [...all, value];

/** Prints a value as JSON on stdout (for `--json`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
