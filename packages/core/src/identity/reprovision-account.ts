import type { User, UserStatus } from '@volundr/contracts/identity';
import type { Clock } from '../shared/ports/clock';
import type { Logger } from '../shared/ports/logger';
import type { HomeVolumes } from './ports/home-volumes';
import type { Users } from './ports/users';

export interface ReprovisionDeps {
  users: Users;
  homeVolumes: HomeVolumes;
  clock: Clock;
  logger?: Logger;
  /** A provisioning claim older than this is taken over (as in provisionUser; default 2 min). */
  staleAfterMs?: number;
}

export type ReprovisionOutcome =
  | { outcome: 'provisioned'; user: User }
  | { outcome: 'skipped'; status: UserStatus }
  | { outcome: 'failed'; reason: string };

const describe = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 2000) || 'unknown error';

/**
 * Re-runs the part of provisioning an administrator can repeat for someone: their home volume
 * (the Storage adapter creates it if it is missing), then `active`. The user's memberships are
 * how the administrator reached them, so they are in place. Idempotent: for an `active` user
 * whose volume is there, nothing changes and nothing is recorded.
 *
 * A `failed` user (or a stale `provisioning` claim) is claimed first, through the same
 * database claim as the first request's provisioning, so this never runs alongside it; a
 * fresh claim held by a request is left to that request (`skipped`). Suspended users are
 * `skipped`: provisioning would make them active. A failure leaves the user `failed` with the
 * reason, as on a first request.
 */
export async function reprovisionAccount(
  deps: ReprovisionDeps,
  user: User,
  actorId: string,
): Promise<ReprovisionOutcome> {
  if (user.status === 'suspended') return { outcome: 'skipped', status: user.status };
  const now = deps.clock.now();
  let claimed = false;
  if (user.status !== 'active') {
    claimed = await deps.users.upsertProvisioning({
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      at: now,
      staleBefore: new Date(now.getTime() - (deps.staleAfterMs ?? 120_000)),
    });
    if (!claimed) {
      const current = await deps.users.byId(user.id);
      return { outcome: 'skipped', status: current?.status ?? user.status };
    }
  }
  const log = deps.logger?.child({ userId: user.id, actorId });
  try {
    const homeVolume = await deps.homeVolumes.ensureHomeVolume(user.id);
    if (!claimed && user.homeVolume === homeVolume) return { outcome: 'provisioned', user };
    const active = await deps.users.markActive(user.id, { homeVolume, at: deps.clock.now(), actorId });
    log?.info({ homeVolume }, 'user re-provisioned');
    return { outcome: 'provisioned', user: active };
  } catch (error) {
    const reason = describe(error);
    log?.error({ err: error, reason }, 'user re-provisioning failed');
    if (claimed) await deps.users.markFailed(user.id, { reason, at: deps.clock.now() });
    return { outcome: 'failed', reason };
  }
}
