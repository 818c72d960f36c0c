import { createInterface } from 'node:readline';
import type { ChatEvent } from '@volundr/contracts/chat';
import type { Session } from '@volundr/contracts/sessions';
import type { ApiClient } from '../api/api-client';
import { bold, CliError, cyan, dim, green, yellow } from '../output';
import { chatStopped, connectChat } from './chat-connection';
import { createChatPrinter, toolSummary } from './chat-printer';

/** How many past exchanges to show when joining a conversation. */
const HISTORY_TURNS = 5;

/**
 * The conversation in the terminal: the history so far, then a prompt. Answers stream as
 * they arrive; tool calls and file changes show as short lines; permission requests are
 * asked as y/n. Ctrl-C interrupts a running turn; a second Ctrl-C (or Ctrl-D) leaves.
 * A dropped connection reconnects and replays what was missed.
 */
export async function interactiveChat(api: ApiClient, session: Session): Promise<void> {
  const client = await connectChat(api, session);
  const out = process.stdout;
  const printer = createChatPrinter(out, out);
  const rl = createInterface({ input: process.stdin, output: out, terminal: true, prompt: `${cyan('›')} ` });
  rl.pause();

  const history: string[] = [];
  const mine = new Set<string>();
  const running = new Set<string>();
  let replayed = false;
  let armed = false;
  let asking = false;

  const prompt = () => {
    if (running.size === 0 && !asking) rl.prompt(true);
  };
  const ask = (event: Extract<ChatEvent, { type: 'permission_request' }>) => {
    asking = true;
    printer.endLine();
    rl.question(yellow(`Allow ${toolSummary(event.toolName, event.input)}? [y/n] `), (answer) => {
      asking = false;
      const allow = /^y(es)?$/i.test(answer.trim());
      if (!client.answerPermission(event.requestId, allow))
        printer.note(yellow('not connected: the answer was not sent'));
      prompt();
    });
  };

  const done = new Promise<void>((resolve, reject) => {
    const leave = () => resolve();
    rl.on('close', leave);
    rl.on('SIGINT', () => {
      if (running.size > 0 && !armed) {
        client.interrupt();
        printer.note(dim('(interrupting; Ctrl-C again to leave)'));
      } else if (!armed) {
        printer.note(dim('(Ctrl-C again, or Ctrl-D, to leave)'));
      } else return leave();
      armed = true;
      prompt();
    });
    rl.on('line', (line) => {
      armed = false;
      const text = line.trim();
      if (text === '') return prompt();
      mine.add(client.sendMessage(text));
    });

    client.onEvent((event) => {
      if (!replayed) {
        if (event.type === 'user_message') history.push(dim(`${event.author} › ${event.text}`));
        if (event.type === 'turn_completed' && event.text) history.push(dim(event.text.trimEnd()));
        if (event.type !== 'ready') return;
        replayed = true;
        const shown = history.slice(-HISTORY_TURNS * 2);
        if (shown.length) out.write(`${dim('… earlier in this conversation:')}\n${shown.join('\n')}\n\n`);
        out.write(
          `${green('Connected')} to ${bold(session.name)} (${event.model} via ${event.transport}). ${dim('Ctrl-C interrupts a turn; Ctrl-C twice or Ctrl-D leaves.')}\n`,
        );
        rl.resume();
        return prompt();
      }
      if (event.type === 'ready') return;
      if (event.type === 'user_message' && !mine.has(event.id)) printer.note(dim(`${event.author} › ${event.text}`));
      if (event.type === 'turn_started') running.add(event.turnId);
      printer.event(event);
      if (event.type === 'permission_request') ask(event);
      if (event.type === 'turn_completed' || event.type === 'turn_failed') {
        running.delete(event.turnId);
        prompt();
      }
    });
    let previous = client.status.state;
    client.onStatus((status) => {
      if (status.state === 'reconnecting' && status.attempt === 1) printer.note(dim('connection lost; reconnecting…'));
      if (status.state === 'open' && previous === 'reconnecting') printer.note(dim('reconnected'));
      previous = status.state;
      if (status.state === 'closed' && status.reason !== 'closed') reject(chatStopped(client, session));
    });
    client.onInvalid((problem) =>
      printer.note(yellow(`ignored a malformed event from the broker: ${problem.message}`)),
    );
  });

  try {
    await done;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`chat failed: ${(error as Error).message}`);
  } finally {
    printer.endLine();
    rl.close();
    client.close();
  }
}
