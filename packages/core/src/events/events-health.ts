import type { EventsHealth, SinkHealth } from '@volundr/contracts/events';
import type { Principal } from '@volundr/contracts/principal';
import type { Authorization } from '../authz/ports/authorization';
import { DomainError } from '../errors';
import type { Clock } from '../shared/ports/clock';
import type { SinkRuntime } from './outbox-dispatcher';
import type { Outbox } from './ports/outbox';

export interface EventsHealthDeps {
  outbox: Outbox;
  authorization: Authorization;
  clock: Clock;
  /** This replica's dispatcher: its name and what it knows about each configured sink. */
  dispatcher: { owner: string; status(): SinkRuntime[] };
  /** Lag counts stop here (counting a huge backlog exactly would cost a scan). Default 100 000. */
  lagCap?: number;
}

/**
 * Each configured sink's state and lag. The cursor, lease and last failure come from the
 * database, so every replica answers the same about a sink another replica dispatches.
 */
export const eventsHealth =
  (deps: EventsHealthDeps) =>
  async (principal: Principal): Promise<EventsHealth> => {
    const decision = await deps.authorization.check(principal, 'admin', {
      kind: 'tenant',
      id: principal.tenantId,
      tenantId: principal.tenantId,
    });
    if (!decision.allowed)
      throw new DomainError('FORBIDDEN', 'Only tenant administrators may read the event pipeline’s health');
    const cap = deps.lagCap ?? 100_000;
    const now = deps.clock.now();
    const cursors = new Map((await deps.outbox.cursors()).map((c) => [c.sink, c]));
    const sinks = await Promise.all(
      deps.dispatcher.status().map(async (local): Promise<SinkHealth> => {
        const cursor = cursors.get(local.name);
        const lag = cursor ? await deps.outbox.lag(local.name, cap) : { events: 0, capped: false, oldestAt: null };
        const leaseLive = cursor?.leaseOwner && cursor.leaseExpiresAt && cursor.leaseExpiresAt > now;
        const leaseOwner = leaseLive ? (cursor?.leaseOwner ?? null) : null;
        let state: SinkHealth['state'];
        if (local.state === 'stopped') state = 'stopped';
        else if (leaseOwner === deps.dispatcher.owner) state = local.state === 'failing' ? 'failing' : 'delivering';
        else if (leaseOwner) state = (cursor?.failures ?? 0) > 0 ? 'failing' : 'standby';
        else state = 'unowned';
        const eventId = cursor?.position.eventId;
        return {
          name: local.name,
          state,
          leaseOwner,
          deliveredEventId: eventId && eventId !== '0' ? eventId : null,
          deliveredAt: cursor?.deliveredAt?.toISOString() ?? null,
          lag: {
            events: lag.events,
            capped: lag.capped,
            seconds: lag.oldestAt ? Math.max(0, (now.getTime() - lag.oldestAt.getTime()) / 1000) : 0,
          },
          failures: cursor?.failures ?? local.failures,
          lastError: cursor?.lastError ?? local.lastError,
          lastErrorAt: cursor?.lastErrorAt?.toISOString() ?? null,
        };
      }),
    );
    return { replica: deps.dispatcher.owner, sinks };
  };
