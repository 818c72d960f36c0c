import type { ChatEvent } from '@volundr/contracts/chat';
import type { Session } from '@volundr/contracts/sessions';
import type { ApiClient } from '../api/api-client';
import { CliError, dim, exitCodes, yellow } from '../output';
import { confirm } from '../ui/confirm';
import { chatStopped, connectChat } from './chat-connection';
import { createChatPrinter, toolSummary } from './chat-printer';

export interface OneShotOptions {
  message: string;
  json: boolean;
  /** Answer every permission request with yes (no terminal needed). */
  approve: boolean;
}

/**
 * Sends one message and follows its turn to the end: the answer streams to stdout (or every
 * protocol event as NDJSON with --json). Resolves with the exit code: 0 when the turn
 * completed, 5 when it failed. The first Ctrl-C interrupts the turn, a second one leaves.
 */
export async function oneShotChat(api: ApiClient, session: Session, options: OneShotOptions): Promise<number> {
  const client = await connectChat(api, session, { maxAttempts: 10 });
  const printer = createChatPrinter(process.stdout, process.stderr);
  let replayed = false;
  let messageId: string | null = null;
  let turnId: string | null = null;
  let onSigint = () => {};

  const result = new Promise<number>((resolve, reject) => {
    let interrupted = false;
    onSigint = () => {
      if (interrupted || !turnId) return resolve(exitCodes.interrupted);
      interrupted = true;
      client.interrupt();
      printer.note(dim('(interrupting the turn; Ctrl-C again to leave)'));
    };
    process.on('SIGINT', onSigint);

    const answerPermission = async (event: Extract<ChatEvent, { type: 'permission_request' }>) => {
      const what = toolSummary(event.toolName, event.input);
      if (options.approve) {
        printer.note(dim(`allowed ${what} (--approve)`));
        return client.answerPermission(event.requestId, true);
      }
      if (!process.stdin.isTTY) {
        printer.note(yellow(`denied ${what}: no terminal to ask (pass --approve to allow tool use)`));
        return client.answerPermission(event.requestId, false);
      }
      printer.endLine();
      client.answerPermission(event.requestId, await confirm(`Allow ${what}?`));
    };

    client.onEvent((event) => {
      // The conversation so far is replayed first; the first `ready` marks its end.
      if (!replayed) {
        if (event.type !== 'ready') return;
        replayed = true;
        messageId = client.sendMessage(options.message);
      }
      if (event.type === 'turn_started' && event.userMessageId === messageId) turnId = event.turnId;
      if (options.json) process.stdout.write(`${JSON.stringify(event)}\n`);
      const ours = turnId !== null && 'turnId' in event && event.turnId === turnId;
      if (!ours) return;
      if (!options.json) printer.event(event);
      if (event.type === 'permission_request') void answerPermission(event).catch(reject);
      if (event.type === 'turn_completed') resolve(exitCodes.ok);
      if (event.type === 'turn_failed') resolve(interrupted ? exitCodes.interrupted : exitCodes.workFailed);
    });
    client.onStatus((status) => {
      if (status.state === 'closed' && status.reason !== 'closed') reject(chatStopped(client, session));
      if (status.state === 'reconnecting' && status.attempt === 1 && !options.json)
        printer.note(dim('connection lost; reconnecting…'));
    });
    client.onInvalid((problem) =>
      printer.note(yellow(`ignored a malformed event from the broker: ${problem.message}`)),
    );
  });

  try {
    return await result;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`chat failed: ${(error as Error).message}`);
  } finally {
    process.removeListener('SIGINT', onSigint);
    printer.endLine();
    client.close();
  }
}
