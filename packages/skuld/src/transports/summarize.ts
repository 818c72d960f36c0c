/**
 * The final report's "ask the CLI": one extra turn asking for a JSON summary, collected
 * privately (its events are not published), interrupted if it overruns its time limit.
 */
import { randomUUID } from 'node:crypto';
import type { ChatEventBody } from '@volundr/contracts/chat';
import type { Transport } from './transport';

export const SUMMARY_PROMPT =
  'The session is ending. Summarize it for the final report. Reply with JSON only, no tools: ' +
  '{"summary": string, "keyChanges": string[], "unfinishedWork": string}.';

export async function summarizeWithTurn(
  transport: Pick<Transport, 'runTurn' | 'interrupt'>,
  timeoutMs: number,
): Promise<string | null> {
  let text: string | null = null;
  const collect = (event: ChatEventBody) => {
    if (event.type === 'turn_completed') text = event.text;
  };
  const turnId = `summary-${randomUUID()}`;
  const turn = transport.runTurn({ turnId, userMessageId: turnId, text: SUMMARY_PROMPT }, { emit: collect });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = await Promise.race([
    turn.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    await transport.interrupt();
    return null;
  }
  return text;
}
