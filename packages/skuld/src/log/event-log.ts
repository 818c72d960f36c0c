/**
 * The durable conversation log: one JSON event per line in `<state dir>/chat.ndjson`. Every
 * outbound event is written here (write(2), before any client sees it) with the next `seq`.
 * Opening the log scans it once: the sequence continues after a restart, and a torn last line
 * (the process died mid-write) is cut off so the next append starts clean.
 */
import { closeSync, createReadStream, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { type ChatEvent, type ChatEventBody, ZChatEvent } from '@volundr/contracts/chat';
import type { Logger } from '@volundr/core/shared/ports/logger';

/** A written event and its exact line (without the newline), so fan-out never re-serializes. */
export interface LoggedEvent {
  event: ChatEvent;
  line: string;
}

export interface EventLog {
  readonly path: string;
  /** The seq of the last event written (0 when empty). */
  readonly lastSeq: number;
  /** Assigns seq + ts to each body, writes them all in one write, returns them in order. */
  append(bodies: readonly ChatEventBody[]): LoggedEvent[];
  /** Lines of the events with `seq > after` that were written when the call was made, in order. */
  readAfter(after: number): AsyncIterable<string>;
  close(): void;
}

export interface OpenEventLogOptions {
  logger: Logger;
  now?: () => Date;
  /** Called with every valid event found while opening (used to rebuild conversation state). */
  onRecovered?: (event: ChatEvent) => void;
}

/** Every this many events the byte offset is remembered, so a replay skips what it need not read. */
const CHECKPOINT_EVERY = 512;
const SCAN_CHUNK = 1 << 20;

export function openEventLog(path: string, options: OpenEventLogOptions): EventLog {
  const now = options.now ?? (() => new Date());
  const fd = openSync(path, 'a+');
  const checkpoints: { seq: number; offset: number }[] = [{ seq: 0, offset: 0 }];
  let lastSeq = 0;
  let size = scan();
  let closed = false;

  // Reads the whole file once. Lines that do not parse are skipped (with a warning) except a
  // torn last line, which is truncated away.
  function scan(): number {
    const total = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(SCAN_CHUNK, Math.max(total, 1)));
    let position = 0;
    let carry: Buffer = Buffer.alloc(0);
    let lineStart = 0;
    let sinceCheckpoint = 0;
    while (position < total) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      if (read <= 0) break;
      position += read;
      let chunk = Buffer.concat([carry, buffer.subarray(0, read)]);
      let newline = chunk.indexOf(10);
      while (newline !== -1) {
        const line = chunk.subarray(0, newline).toString('utf8');
        const lineBytes = newline + 1;
        const seq = accept(line, lineStart);
        lineStart += lineBytes;
        if (seq !== null && ++sinceCheckpoint >= CHECKPOINT_EVERY) {
          checkpoints.push({ seq, offset: lineStart });
          sinceCheckpoint = 0;
        }
        chunk = chunk.subarray(lineBytes);
        newline = chunk.indexOf(10);
      }
      carry = Buffer.from(chunk);
    }
    if (carry.length > 0) {
      options.logger.warn({ path, bytes: carry.length }, 'event log ends with a torn line; cutting it off');
      ftruncateSync(fd, lineStart);
    }
    return lineStart;
  }

  function accept(line: string, offset: number): number | null {
    if (line.trim() === '') return null;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      options.logger.warn({ path, offset }, 'event log line is not JSON; skipped');
      return null;
    }
    const parsed = ZChatEvent.safeParse(json);
    if (!parsed.success || parsed.data.seq <= lastSeq) {
      options.logger.warn({ path, offset }, 'event log line is not a valid next event; skipped');
      return null;
    }
    lastSeq = parsed.data.seq;
    options.onRecovered?.(parsed.data as ChatEvent);
    return lastSeq;
  }

  return {
    path,
    get lastSeq() {
      return lastSeq;
    },
    append(bodies) {
      if (closed) throw new Error('event log is closed');
      if (bodies.length === 0) return [];
      const ts = now().toISOString();
      const out: LoggedEvent[] = [];
      let text = '';
      for (const body of bodies) {
        const seq = lastSeq + out.length + 1;
        // seq first: replays find it with a prefix match instead of parsing every line.
        const event = { seq, ts, ...body } as ChatEvent;
        event.seq = seq;
        event.ts = ts;
        const line = JSON.stringify(event);
        out.push({ event, line });
        text += `${line}\n`;
      }
      const bytes = Buffer.from(text, 'utf8');
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      const before = lastSeq;
      lastSeq += out.length;
      if (Math.floor(lastSeq / CHECKPOINT_EVERY) > Math.floor(before / CHECKPOINT_EVERY)) {
        checkpoints.push({ seq: lastSeq, offset: size + bytes.length });
      }
      size += bytes.length;
      return out;
    },
    readAfter(after) {
      // Bounds are taken now, not when iteration starts: the caller's live subscription covers the rest.
      const end = size;
      const upTo = lastSeq;
      let start = 0;
      for (const checkpoint of checkpoints) {
        if (checkpoint.seq <= after) start = checkpoint.offset;
        else break;
      }
      return readLines(path, start, end, after, upTo);
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}

async function* readLines(path: string, start: number, end: number, after: number, upTo: number) {
  if (after >= upTo || start >= end) return;
  const stream = createReadStream(path, { start, end: end - 1, highWaterMark: 256 * 1024 });
  let carry = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = carry + chunk.toString('utf8');
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) {
      const seq = seqOf(line);
      if (seq !== null && seq > after) yield line;
    }
  }
  const seq = seqOf(carry);
  if (seq !== null && seq > after) yield carry;
}

/** Every line this module writes starts with `{"seq":N,`; older or foreign lines fall back to a parse. */
function seqOf(line: string): number | null {
  const match = /^\{"seq":(\d+),/.exec(line);
  if (!match) {
    try {
      const seq = (JSON.parse(line) as { seq?: unknown }).seq;
      return typeof seq === 'number' ? seq : null;
    } catch {
      return null;
    }
  }
  return match?.[1] ? Number(match[1]) : null;
}
