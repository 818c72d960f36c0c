import type { ChatEvent } from '@volundr/contracts/chat';
import { dim, red, yellow } from '../output';

/** A short description of a tool call: the command, the file, or the input in brief. */
export function toolSummary(name: string, input: Record<string, unknown>): string {
  const pick = ['command', 'file_path', 'path', 'pattern', 'url', 'description'].find(
    (k) => typeof input[k] === 'string',
  );
  const detail = pick ? String(input[pick]) : JSON.stringify(input);
  const oneLine = detail.replace(/\s+/g, ' ').trim();
  return `${name}(${oneLine.length > 100 ? `${oneLine.slice(0, 99)}…` : oneLine})`;
}

const firstLine = (text: string) => {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
};

export interface ChatPrinter {
  /** Renders one protocol event of a turn (text, tools, file changes, the end of the turn). */
  event(event: ChatEvent): void;
  /** A line of its own on the notes stream (starts a new line first if text is mid-line). */
  note(text: string): void;
  /** Ends the current text line, if any. */
  endLine(): void;
}

/**
 * Streams a conversation for a person: answer text as it arrives on `text`, tool calls, file
 * changes and turn endings as short lines on `notes` (stderr in one-shot mode, so
 * `$(volundr chat s -m …)` captures only the answer).
 */
export function createChatPrinter(text: NodeJS.WritableStream, notes: NodeJS.WritableStream): ChatPrinter {
  let midLine = false;
  /** After a note the cursor is at a line start: the text's own leading newlines would add blank lines. */
  let afterNote = false;
  const endLine = () => {
    if (midLine) text.write('\n');
    midLine = false;
  };
  const note = (line: string) => {
    endLine();
    notes.write(`${line}\n`);
    afterNote = true;
  };
  return {
    note,
    endLine,
    event(event) {
      switch (event.type) {
        case 'text_delta': {
          const chunk = afterNote ? event.text.replace(/^\n+/, '') : event.text;
          if (chunk === '') return;
          afterNote = false;
          text.write(chunk);
          midLine = !chunk.endsWith('\n');
          return;
        }
        case 'tool_started':
          return note(dim(`⏺ ${toolSummary(event.name, event.input)}`));
        case 'tool_finished':
          if (event.isError) note(red(`  ✗ ${firstLine(event.output) || 'failed'}`));
          return;
        case 'file_changed': {
          const counts =
            event.insertions !== undefined || event.deletions !== undefined
              ? ` (+${event.insertions ?? 0} −${event.deletions ?? 0})`
              : '';
          return note(dim(`  ✎ ${event.action} ${event.path}${counts}`));
        }
        case 'turn_completed': {
          const tokens = event.usage.inputTokens + event.usage.outputTokens;
          const cost = event.costUsd !== undefined ? `, $${event.costUsd.toFixed(4)}` : '';
          return note(dim(`(${tokens} tokens${cost}, ${(event.durationMs / 1000).toFixed(1)} s)`));
        }
        case 'turn_failed':
          return note(red(`turn failed: ${event.error.message} (${event.error.code})`));
        case 'error':
          return note(yellow(`broker: ${event.message} (${event.code})`));
        default:
          return;
      }
    },
  };
}
