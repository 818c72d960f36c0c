import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from './program';

function all(command: Command): Command[] {
  return [command, ...command.commands.flatMap(all)];
}

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

describe('volundr --help', () => {
  it('shows examples on every command', () => {
    const missing = all(createProgram())
      .filter((c) => !/\nExamples:\n {2}\S/.test(helpOf(c)))
      .map((c) => c.name());
    expect(missing).toEqual([]);
  });
});
