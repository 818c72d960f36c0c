import type { Principal } from '@volundr/contracts/principal';
import { describe, expect, it } from 'vitest';
import type { Authorization } from '../authz/ports/authorization';
import { silentLogger } from '../shared/ports/logger';
import { fixedClock } from '../testing/fixed-clock';
import { auditedAuthorization } from './audited-authorization';
import { eventsHealth } from './events-health';
import { listAuditEntries } from './list-audit-entries';
import type { AuditLog, NewAuditEntry } from './ports/audit-log';
import type { Outbox } from './ports/outbox';

const principal = (userId: string, admin = false): Principal => ({
  userId,
  email: null,
  name: userId,
  tenantId: 't-1',
  roles: admin ? ['volundr:admin'] : ['volundr:developer'],
});
const dave = principal('dave', true);
const bob = principal('bob');

/** Admins may do anything in their tenant; developers only on what they own. */
const rules: Authorization = {
  async check(p, _action, resource) {
    if (p.roles.includes('volundr:admin')) {
      return {
        allowed: true,
        reason:
          resource.ownerId && resource.ownerId !== p.userId
            ? `tenant admin acting on another user's ${resource.kind} (owner ${resource.ownerId})`
            : 'tenant admin',
      };
    }
    return resource.ownerId === p.userId
      ? { allowed: true, reason: 'owner' }
      : { allowed: false, reason: 'not the owner' };
  },
  listScope: async (p) => (p.roles.includes('volundr:admin') ? 'all' : 'none'),
};

function memoryAudit(failing = false) {
  const entries: NewAuditEntry[] = [];
  const audit: AuditLog = {
    async record(entry) {
      if (failing) throw new Error('database down');
      entries.push(entry);
    },
    async list(query) {
      return entries
        .filter((e) => e.tenantId === query.tenantId && (!query.action || e.action === query.action))
        .map((e, i) => ({
          id: String(i + 1),
          at: e.at.toISOString(),
          tenantId: e.tenantId,
          actorId: e.actorId,
          action: e.action,
          resource: e.resource,
          reason: e.reason,
          data: e.data,
        }))
        .reverse()
        .slice(0, query.limit);
    },
  };
  return { audit, entries };
}

const session = (ownerId: string) => ({ kind: 'session' as const, id: 's-1', ownerId, tenantId: 't-1' });
const clock = fixedClock(new Date('2026-03-01T10:00:00Z'));

describe('audited authorization', () => {
  it("records an admin acting on another user's session with the policy's reason, and refusals of actions", async () => {
    const { audit, entries } = memoryAudit();
    const authz = auditedAuthorization(rules, { audit, clock, logger: silentLogger });
    expect((await authz.check(dave, 'stop', session('alice'))).allowed).toBe(true);
    expect((await authz.check(dave, 'stop', session('dave'))).allowed).toBe(true); // own: nothing recorded
    expect((await authz.check(dave, 'list', { kind: 'session', tenantId: 't-1' })).allowed).toBe(true);
    expect((await authz.check(bob, 'delete', session('alice'))).allowed).toBe(false);
    expect((await authz.check(bob, 'read', session('alice'))).allowed).toBe(false); // hiding, not recorded
    expect(entries.map((e) => [e.action, e.actorId, e.resource.ownerId, e.data.action])).toEqual([
      ['authz.acted_on_other', 'dave', 'alice', 'stop'],
      ['authz.denied', 'bob', 'alice', 'delete'],
    ]);
    expect(entries[0]!.reason).toBe("tenant admin acting on another user's session (owner alice)");
  });

  it('refuses an action on someone else’s resource when the audit log cannot record it', async () => {
    const authz = auditedAuthorization(rules, { audit: memoryAudit(true).audit, clock, logger: silentLogger });
    await expect(authz.check(dave, 'stop', session('alice'))).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    // A refusal stays a refusal (its entry is best effort).
    expect((await authz.check(bob, 'delete', session('alice'))).allowed).toBe(false);
  });
});

describe('audit.list and events.health', () => {
  it('lists the tenant’s entries for admins only, newest first, with a cursor', async () => {
    const { audit } = memoryAudit();
    for (let i = 0; i < 3; i++)
      await audit.record({
        tenantId: 't-1',
        actorId: 'x',
        action: 'token.created',
        resource: { kind: 'personal_access_token', id: `p${i}`, ownerId: 'x' },
        reason: null,
        data: {},
        at: clock.now(),
      });
    const list = listAuditEntries({ audit, authorization: rules });
    const page = await list(dave, { limit: 2 });
    expect(page.items.map((e) => e.resource.id)).toEqual(['p2', 'p1']);
    expect(page.nextCursor).toBe('2');
    await expect(list(bob, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(list(dave, { limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('reports each sink with the database’s view of its lease and lag', async () => {
    const now = clock.now();
    const outbox = {
      cursors: async () => [
        {
          sink: 'bus',
          position: { txId: '9', eventId: '42' },
          leaseOwner: 'other',
          leaseExpiresAt: new Date(now.getTime() + 5000),
          deliveredAt: now,
          failures: 2,
          lastError: 'connection refused',
          lastErrorAt: now,
        },
      ],
      lag: async () => ({ events: 12, capped: false, oldestAt: new Date(now.getTime() - 3000) }),
    } as unknown as Outbox;
    const dispatcher = {
      owner: 'me',
      status: () => [
        { name: 'bus', state: 'standby' as const, failures: 0, lastError: null, delivered: 0 },
        { name: 'new', state: 'standby' as const, failures: 0, lastError: null, delivered: 0 },
      ],
    };
    const health = eventsHealth({ outbox, authorization: rules, clock, dispatcher });
    const answer = await health(dave);
    expect(answer.replica).toBe('me');
    expect(answer.sinks[0]).toEqual({
      name: 'bus',
      state: 'failing',
      leaseOwner: 'other',
      deliveredEventId: '42',
      deliveredAt: now.toISOString(),
      lag: { events: 12, capped: false, seconds: 3 },
      failures: 2,
      lastError: 'connection refused',
      lastErrorAt: now.toISOString(),
    });
    expect(answer.sinks[1]).toMatchObject({
      name: 'new',
      state: 'unowned',
      deliveredEventId: null,
      lag: { events: 0 },
    });
    await expect(health(bob)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
