import { describe, expect, it } from 'vitest';
import { initialRole } from './provision-user';

describe('initialRole', () => {
  it('takes the strongest role the identity provider gave, developer when none', () => {
    expect(initialRole([])).toBe('volundr:developer');
    expect(initialRole(['volundr:viewer'])).toBe('volundr:viewer');
    expect(initialRole(['volundr:viewer', 'volundr:admin', 'volundr:developer'])).toBe('volundr:admin');
    expect(initialRole(['volundr:developer', 'volundr:viewer'])).toBe('volundr:developer');
  });
});
