import type { Command } from 'commander';
import { ApiClient } from '../api/api-client';
import { interactiveChat } from '../chat/interactive-chat';
import { oneShotChat } from '../chat/one-shot-chat';
import { CliError, exitCodes } from '../output';
import { resolveSession } from '../sessions/session-api';
import { examples, globalsOf } from './command-options';

interface ChatFlags {
  message?: string;
  json?: boolean;
  approve?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description("Talk to a session's agent: interactively, or one message with -m")
    .argument('<session>', 'session name or id')
    .option('-m, --message <text>', 'send this message, stream the answer, and exit (0, or 5 if the turn failed)')
    .option('--json', 'with -m (or piped input): print the protocol events as NDJSON')
    .option('--approve', 'with -m: allow every tool use the agent asks permission for')
    .addHelpText(
      'after',
      `${examples(
        'volundr chat demo',
        'volundr chat demo -m "Add a test for the login form"',
        'git diff | volundr chat demo',
        'volundr chat demo -m "Summarise the repo" --json | jq -r "select(.type==\\"text_delta\\").text"',
      )}
Interactive keys: Enter sends, Ctrl-C interrupts the running turn, a second Ctrl-C (or Ctrl-D) leaves.
Permission requests are asked as y/n. A dropped connection reconnects and replays what was missed.
`,
    )
    .action(async (ref: string, options: ChatFlags, command: Command) => {
      let message = options.message;
      if (message === undefined && !process.stdin.isTTY) message = (await readStdin()).trim();
      if (message !== undefined && message.trim() === '') {
        throw new CliError('the message is empty', 'pass the text with -m "…" or pipe it in', exitCodes.usage);
      }
      if (message === undefined && options.json) {
        throw new CliError('--json needs a message (-m or piped input)', undefined, exitCodes.usage);
      }
      const api = ApiClient.fromOptions(globalsOf(command));
      const session = await resolveSession(api, ref);
      if (message === undefined) return interactiveChat(api, session);
      process.exitCode = await oneShotChat(api, session, {
        message,
        json: options.json === true,
        approve: options.approve === true,
      });
    });
}
