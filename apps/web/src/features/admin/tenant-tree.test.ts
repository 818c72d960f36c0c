import type { Tenant } from '@volundr/contracts/identity';
import { describe, expect, it } from 'vitest';
import { describeReprovision, slugOf, tenantTree } from './tenant-tree';

const tenant = (id: string, path: string, parentId: string | null): Tenant => ({
  id,
  path,
  name: id,
  parentId,
  tier: 'developer',
  maxRunningSessions: 5,
  maxStorageGb: 50,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('tenantTree', () => {
  it('nests tenants under their parents, ordered by path, whatever order they come in', () => {
    const tree = tenantTree([
      tenant('squad', '/acme/b/squad/', 'b'),
      tenant('b', '/acme/b/', 'acme'),
      tenant('acme', '/acme/', null),
      tenant('a', '/acme/a/', 'acme'),
    ]);
    const shape = (nodes: ReturnType<typeof tenantTree>): unknown => nodes.map((n) => [n.tenant.id, shape(n.children)]);
    expect(shape(tree)).toEqual([
      [
        'acme',
        [
          ['a', []],
          ['b', [['squad', []]]],
        ],
      ],
    ]);
  });

  it('keeps a tenant whose parent is not listed (the administrator’s own, a sub-tenant admin’s) as a root', () => {
    const tree = tenantTree([tenant('team', '/acme/team/', 'acme'), tenant('squad', '/acme/team/squad/', 'team')]);
    expect(tree.map((n) => n.tenant.id)).toEqual(['team']);
    expect(tree[0]?.children.map((n) => n.tenant.id)).toEqual(['squad']);
    expect(tenantTree([])).toEqual([]);
  });
});

describe('slugOf and describeReprovision', () => {
  it('reads the slug of a path', () => {
    expect(slugOf('/acme/team-a/')).toBe('team-a');
    expect(slugOf('/acme/')).toBe('acme');
  });

  it('says what re-provisioning did', () => {
    expect(describeReprovision({ provisioned: ['a'], skipped: [], failed: [] })).toBe('1 member in place.');
    expect(
      describeReprovision({
        provisioned: ['a', 'b'],
        skipped: [{ userId: 'c', status: 'suspended' }],
        failed: [{ userId: 'd', reason: 'disk full' }],
      }),
    ).toBe('2 members in place; skipped c (suspended); failed: d (disk full).');
  });
});
