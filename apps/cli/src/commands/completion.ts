import type { Command } from 'commander';
import { completionModel } from '../completion/completion-model';
import { bashCompletion, fishCompletion, zshCompletion } from '../completion/completion-scripts';
import { CliError, exitCodes } from '../output';
import { examples } from './command-options';

const shells = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion } as const;

export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script (bash, zsh or fish)')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      examples(
        'source <(volundr completion bash)            # in ~/.bashrc',
        'volundr completion zsh > ~/.zfunc/_volundr     # with fpath+=(~/.zfunc) in ~/.zshrc',
        'volundr completion fish > ~/.config/fish/completions/volundr.fish',
      ),
    )
    .action((shell: string) => {
      const generate = shells[shell as keyof typeof shells];
      if (!generate) throw new CliError(`no completion for "${shell}"`, 'choose bash, zsh or fish', exitCodes.usage);
      process.stdout.write(generate(completionModel(program)));
    });
}
