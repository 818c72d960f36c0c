import { describe, expect, it } from 'vitest';
import { CliError } from '../output';
import { detachKeyByte } from './detach-key';

describe('detachKeyByte', () => {
  it('maps Ctrl chords to the byte a terminal sends', () => {
    expect(detachKeyByte('ctrl-]')).toBe(0x1d);
    expect(detachKeyByte('Ctrl+Q')).toBe(0x11);
    expect(detachKeyByte('c-a')).toBe(0x01);
    expect(detachKeyByte('ctrl-\\')).toBe(0x1c);
  });

  it('refuses what is not a Ctrl chord, as a usage error', () => {
    for (const bad of ['q', 'ctrl-', 'ctrl-1', 'alt-x', 'ctrl-ab']) {
      expect(() => detachKeyByte(bad)).toThrow(CliError);
    }
    try {
      detachKeyByte('alt-x');
    } catch (error) {
      expect((error as CliError).exitCode).toBe(2);
    }
  });
});
