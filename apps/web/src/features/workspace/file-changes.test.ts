import type { ChatEvent } from '@volundr/contracts/chat';
import { describe, expect, it } from 'vitest';
import { chatReducer, initialChatState } from '../chat/chat-reducer';
import { changedFiles } from './file-changes';

let seq = 0;
const ev = (body: object) => ({ type: 'event' as const, event: { seq: ++seq, ts: 't', ...body } as ChatEvent });

describe('changedFiles', () => {
  it('aggregates file changes across turns', () => {
    const state = [
      ev({ type: 'turn_started', turnId: 't1', userMessageId: 'm1' }),
      ev({ type: 'file_changed', turnId: 't1', path: 'b.txt', action: 'created', insertions: 3, deletions: 0 }),
      ev({ type: 'file_changed', turnId: 't1', path: 'a.ts', action: 'modified', insertions: 1, deletions: 1 }),
      ev({ type: 'turn_started', turnId: 't2', userMessageId: 'm2' }),
      ev({ type: 'file_changed', turnId: 't2', path: 'b.txt', action: 'modified', insertions: 2, deletions: 1 }),
      ev({ type: 'file_changed', turnId: 't2', path: 'a.ts', action: 'deleted' }),
      ev({ type: 'file_changed', turnId: 't2', path: 'c.md', action: 'modified' }),
    ].reduce(chatReducer, initialChatState);
    expect(changedFiles(state)).toEqual([
      { path: 'a.ts', status: 'deleted', insertions: null, deletions: null, turns: 2 },
      { path: 'b.txt', status: 'new', insertions: 5, deletions: 1, turns: 2 },
      { path: 'c.md', status: 'modified', insertions: null, deletions: null, turns: 1 },
    ]);
  });
});
