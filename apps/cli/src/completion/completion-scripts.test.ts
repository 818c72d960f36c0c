import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerAttachCommand } from '../commands/attach';
import { registerChatCommand } from '../commands/chat';
import { registerCompletionCommand } from '../commands/completion';
import { registerContextCommands } from '../commands/context';
import { registerSessionCommands } from '../commands/sessions';
import { completionModel } from './completion-model';
import { bashCompletion, fishCompletion, zshCompletion } from './completion-scripts';

function program(): Command {
  const p = new Command('volundr')
    .option('-s, --server <url>', 'the server')
    .option('--token <token>', 'a token')
    .option('--debug', 'stack traces');
  registerContextCommands(p);
  registerSessionCommands(p);
  registerChatCommand(p);
  registerAttachCommand(p);
  registerCompletionCommand(p);
  return p;
}

const dir = mkdtempSync(join(tmpdir(), 'volundr-completion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the generated bash function as bash's completion would, for the words typed so far. */
function complete(words: string[]): string[] {
  const script = join(dir, 'volundr.bash');
  writeFileSync(script, bashCompletion(completionModel(program())));
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const run = spawnSync(
    'bash',
    [
      '-c',
      `source ${script}; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _volundr; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  return run.stdout.split('\n').filter(Boolean);
}

describe('bash completion', () => {
  it('completes commands, skipping global options and their values', () => {
    expect(complete(['volundr', ''])).toEqual(
      expect.arrayContaining(['context', 'sessions', 'chat', 'attach', 'completion']),
    );
    expect(complete(['volundr', '--server', 'http://x', 'se'])).toEqual(['sessions']);
  });

  it('completes subcommands and each one’s options', () => {
    expect(complete(['volundr', 'sessions', ''])).toEqual(
      expect.arrayContaining(['ls', 'show', 'create', 'start', 'stop', 'rm', 'archive', 'restore']),
    );
    expect(complete(['volundr', 'sessions', 'create', 'demo', '--no-'])).toEqual(['--no-start', '--no-wait']);
    expect(complete(['volundr', 'chat', 'demo', '--'])).toEqual(
      expect.arrayContaining(['--message', '--json', '--approve', '--server', '--token']),
    );
    expect(complete(['volundr', 'attach', '-x'])).toEqual([]);
  });
});

describe('zsh and fish completion', () => {
  it('describe the same commands and options', () => {
    const model = completionModel(program());
    const zsh = zshCompletion(model);
    expect(zsh).toMatch(/^#compdef volundr\n/);
    expect(zsh).toContain(`'sessions/create') commands=(); options=('--model:`);
    const fish = fishCompletion(model);
    expect(fish).toContain(`complete -c volundr -n '__volundr_at '\\''sessions'\\''' -a 'create'`);
    expect(fish).toContain(`-l detach-key -r -d`);
  });

  it('pass the shells’ own syntax check where the shell is installed', () => {
    const model = completionModel(program());
    for (const [shell, script] of [
      ['zsh', zshCompletion(model)],
      ['fish', fishCompletion(model)],
    ] as const) {
      if (spawnSync('sh', ['-c', `command -v ${shell}`]).status !== 0) continue;
      const file = join(dir, `volundr.${shell}`);
      writeFileSync(file, script);
      expect(spawnSync(shell, ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    }
  });
});
