import { describe, expect, it } from 'vitest';
import { filterBranches } from './branch-options';

const branch = (name: string, isProtected = false) => ({ name, commit: null, protected: isProtected });
const branches = [
  branch('feature/login'),
  branch('main', true),
  branch('release/1.0'),
  branch('Maint-old'),
  branch('dev'),
];

describe('filterBranches', () => {
  it('offers the default branch first, then every branch by name', () => {
    const { options, more } = filterBranches(branches, '', 'main');
    expect(options.map((o) => o.name)).toEqual(['main', 'dev', 'feature/login', 'Maint-old', 'release/1.0']);
    expect(options[0]).toEqual({ name: 'main', isDefault: true, protected: true });
    expect(more).toBe(0);
  });

  it('puts names that start with the query before names that contain it, ignoring case', () => {
    expect(filterBranches(branches, 'MAIN', null).options.map((o) => o.name)).toEqual(['main', 'Maint-old']);
    expect(filterBranches(branches, 're', 'main').options.map((o) => o.name)).toEqual(['release/1.0', 'feature/login']);
    expect(filterBranches(branches, 'nothing-like-it', 'main').options).toEqual([]);
  });

  it('caps the list and says how many were left out', () => {
    const many = Array.from({ length: 120 }, (_, i) => branch(`b-${String(i).padStart(3, '0')}`));
    const { options, more } = filterBranches(many, 'b-', null, 50);
    expect(options).toHaveLength(50);
    expect(options[0]?.name).toBe('b-000');
    expect(more).toBe(70);
  });
});
