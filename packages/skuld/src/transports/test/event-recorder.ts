/**
 * A `TransportEvents` sink for tests: keeps every event, checks each against the protocol
 * schema, and lets a test wait for an event with a deadline instead of sleeping.
 */
import { type ChatEventBody, ZChatEventBody } from '@volundr/contracts/chat';
import type { TransportEvents } from '../transport';

type Of<T extends ChatEventBody['type']> = Extract<ChatEventBody, { type: T }>;

export class EventRecorder implements TransportEvents {
  readonly events: ChatEventBody[] = [];
  /** Events that failed the protocol schema (a test asserts this stays empty). */
  readonly invalid: { event: unknown; issue: string }[] = [];
  private readonly waiters = new Set<() => void>();

  emit(event: ChatEventBody): void {
    const parsed = ZChatEventBody.safeParse(event);
    if (!parsed.success) this.invalid.push({ event, issue: parsed.error.issues[0]?.message ?? 'invalid' });
    this.events.push(event);
    for (const w of [...this.waiters]) w();
  }

  ofTurn(turnId: string): ChatEventBody[] {
    return this.events.filter((e) => 'turnId' in e && e.turnId === turnId);
  }

  ofType<T extends ChatEventBody['type']>(type: T, turnId?: string): Of<T>[] {
    return this.events.filter(
      (e): e is Of<T> => e.type === type && (turnId === undefined || ('turnId' in e && e.turnId === turnId)),
    );
  }

  /** Concatenated `text_delta`s of a turn. */
  textOf(turnId: string): string {
    return this.ofType('text_delta', turnId)
      .map((e) => e.text)
      .join('');
  }

  waitFor<T extends ChatEventBody['type']>(
    type: T,
    match: (e: Of<T>) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<Of<T>> {
    const find = () => this.events.find((e): e is Of<T> => e.type === type && match(e as Of<T>));
    return new Promise((resolve, reject) => {
      const hit = find();
      if (hit) return resolve(hit);
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const seen = this.events.map((e) => e.type).join(', ');
        reject(new Error(`no ${type} event within ${timeoutMs} ms (seen: ${seen})`));
      }, timeoutMs);
      const check = () => {
        const found = find();
        if (!found) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(found);
      };
      this.waiters.add(check);
    });
  }
}
