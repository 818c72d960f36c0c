import type { User } from '@volundr/contracts/identity';
import type { Principal, Role } from '@volundr/contracts/principal';
import { DomainError } from '../errors';
import type { Clock } from '../shared/ports/clock';
import type { Logger } from '../shared/ports/logger';
import type { HomeVolumes } from './ports/home-volumes';
import type { Tenants } from './ports/tenants';
import type { Users } from './ports/users';

export interface ProvisionUserDeps {
  users: Users;
  tenants: Tenants;
  homeVolumes: HomeVolumes;
  clock: Clock;
  logger?: Logger;
  /** How long a request waits for another request provisioning the same user (default 15 s). */
  waitMs?: number;
  /** A provisioning claim older than this is taken over: its process died (default 2 min). */
  staleAfterMs?: number;
  /** Waits between checks on another request's provisioning (a timer; tests may pass their own). */
  delay?: (ms: number) => Promise<void>;
}

const RANK: Record<Role, number> = { 'volundr:admin': 3, 'volundr:developer': 2, 'volundr:viewer': 1 };

/** The membership role a new user gets: the strongest role the IdP gave them, else developer. */
export const initialRole = (roles: readonly Role[]): Role =>
  roles.reduce<Role | null>((best, role) => (best && RANK[best] >= RANK[role] ? best : role), null) ??
  'volundr:developer';

const defaultDelay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const describe = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 2000) || 'unknown error';

/**
 * Just-in-time provisioning on a user's first request: the user record, a membership of the
 * tenant their token names, and their home volume, then `active`. Idempotent and safe when
 * many first requests arrive at once, across API replicas: the database lets exactly one of
 * them claim the work (`Users.upsertProvisioning`); the others wait for its outcome. A failure
 * leaves the user `failed` with the reason; the next request tries again.
 */
export const provisionUser =
  (deps: ProvisionUserDeps) =>
  async (principal: Principal): Promise<User> => {
    const existing = await deps.users.byId(principal.userId);
    if (existing?.status === 'active') return existing;
    if (existing?.status === 'suspended') throw suspended(principal.userId);

    const now = deps.clock.now();
    const claimed = await deps.users.upsertProvisioning({
      id: principal.userId,
      email: principal.email,
      displayName: principal.name,
      at: now,
      staleBefore: new Date(now.getTime() - (deps.staleAfterMs ?? 120_000)),
    });
    if (!claimed) return waitForOutcome(deps, principal.userId);

    const log = deps.logger?.child({ userId: principal.userId });
    try {
      if (principal.tenantId.includes('/')) {
        throw new Error(`the tenant "${principal.tenantId}" named by the identity provider contains "/"`);
      }
      const tenant = await deps.tenants.ensureRoot({ id: principal.tenantId, name: principal.tenantId, at: now });
      await deps.tenants.ensureMembership({
        userId: principal.userId,
        tenantId: tenant.id,
        role: initialRole(principal.roles),
        at: now,
      });
      const homeVolume = await deps.homeVolumes.ensureHomeVolume(principal.userId);
      const user = await deps.users.markActive(principal.userId, { homeVolume, at: deps.clock.now() });
      log?.info({ tenantId: tenant.id, homeVolume }, 'user provisioned');
      return user;
    } catch (error) {
      const reason = describe(error);
      log?.error({ err: error, reason }, 'user provisioning failed');
      await deps.users.markFailed(principal.userId, { reason, at: deps.clock.now() });
      throw provisioningFailed(principal.userId, reason);
    }
  };

/** Another request holds the claim: wait (with backoff) until it finishes, up to `waitMs`. */
async function waitForOutcome(deps: ProvisionUserDeps, userId: string): Promise<User> {
  const delay = deps.delay ?? defaultDelay;
  const deadline = Date.now() + (deps.waitMs ?? 15_000);
  let pause = 20;
  for (;;) {
    const user = await deps.users.byId(userId);
    if (user?.status === 'active') return user;
    if (user?.status === 'suspended') throw suspended(userId);
    if (user?.status === 'failed') throw provisioningFailed(userId, user.provisionError ?? 'unknown error');
    if (Date.now() >= deadline) {
      throw new DomainError('USER_PROVISIONING', 'Your account is still being set up; retry in a few seconds.', {
        userId,
        retryAfterSeconds: 5,
      });
    }
    await delay(pause);
    pause = Math.min(pause * 2, 500);
  }
}

const suspended = (userId: string) =>
  new DomainError('FORBIDDEN', 'Your account is suspended; ask an administrator to lift the suspension.', { userId });

const provisioningFailed = (userId: string, reason: string) =>
  new DomainError(
    'USER_PROVISIONING_FAILED',
    `Setting up your account failed: ${reason}. Your next request tries again; an administrator can also re-provision the account.`,
    { userId, reason, retryAfterSeconds: 5 },
  );
