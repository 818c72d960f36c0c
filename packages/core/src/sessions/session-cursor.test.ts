import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import { decodeSessionCursor, encodeSessionCursor } from './session-cursor';

describe('session cursors', () => {
  it('round-trips any position', () => {
    fc.assert(
      fc.property(
        fc.date({ noInvalidDate: true }),
        fc.string({ minLength: 1, maxLength: 255, unit: 'grapheme' }),
        (createdAt, id) => {
          expect(decodeSessionCursor(encodeSessionCursor({ createdAt, id }))).toEqual({ createdAt, id });
        },
      ),
    );
  });

  it('answers BAD_REQUEST, never a crash, for anything a client makes up', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (cursor) => {
        try {
          decodeSessionCursor(cursor);
        } catch (error) {
          expect(isDomainError(error) && error.code === 'BAD_REQUEST').toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
