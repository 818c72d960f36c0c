import { describe, expect, it } from 'vitest';
import { aSession } from '../testing/session-builder';
import { toSessionView } from './session-view';

describe('toSessionView', () => {
  it('gives a frozen record the same frozen view every time, and a mutable one a new view', () => {
    const record = aSession().build();
    const view = toSessionView(record);
    expect(view).toMatchObject({ id: record.id, state: record.state, createdAt: record.createdAt.toISOString() });
    expect(toSessionView(record)).not.toBe(view);
    expect(view).not.toHaveProperty('runtime');

    const frozen = Object.freeze(aSession().build());
    const shared = toSessionView(frozen);
    expect(toSessionView(frozen)).toBe(shared);
    expect(Object.isFrozen(shared)).toBe(true);
    expect(shared).toEqual(toSessionView({ ...frozen }));
  });
});
