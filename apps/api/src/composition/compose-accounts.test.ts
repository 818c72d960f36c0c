import type { User } from '@volundr/contracts/identity';
import type { Principal } from '@volundr/contracts/principal';
import { DomainError } from '@volundr/core/errors';
import { fixedClock } from '@volundr/core/testing/fixed-clock';
import { aPrincipal } from '@volundr/core/testing/principal-builder';
import { describe, expect, it } from 'vitest';
import { rememberActiveUsers } from './compose-accounts';

const userOf = (principal: Principal, status: User['status']) => ({ id: principal.userId, status }) as unknown as User;

/** A provisioning step that answers with the status set for each user and counts its calls. */
function provisioning() {
  const status = new Map<string, User['status']>();
  const calls: string[] = [];
  return {
    status,
    calls,
    async provision(principal: Principal) {
      calls.push(principal.userId);
      const current = status.get(principal.userId) ?? 'active';
      if (current === 'suspended') throw new DomainError('FORBIDDEN', 'suspended');
      return userOf(principal, current);
    },
  };
}

describe('rememberActiveUsers', () => {
  const alice = aPrincipal().build();
  const bob = aPrincipal().withId('u-bob').build();

  it('reads an active user once per ttl, not once per request', async () => {
    const clock = fixedClock();
    const p = provisioning();
    const check = rememberActiveUsers(p.provision, { clock, ttlMs: 5_000 });
    for (let i = 0; i < 10; i++) await check(alice);
    await check(bob);
    expect(p.calls).toEqual([alice.userId, bob.userId]);
    clock.advance(4_999);
    await check(alice);
    expect(p.calls).toHaveLength(2);
    clock.advance(1);
    await check(alice);
    expect(p.calls).toEqual([alice.userId, bob.userId, alice.userId]);
  });

  it('a suspension takes effect once the ttl has passed; other outcomes are never remembered', async () => {
    const clock = fixedClock();
    const p = provisioning();
    const check = rememberActiveUsers(p.provision, { clock, ttlMs: 5_000 });
    await check(alice);
    p.status.set(alice.userId, 'suspended');
    await check(alice); // still within the ttl
    clock.advance(5_000);
    await expect(check(alice)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(check(alice)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    p.status.set(bob.userId, 'provisioning');
    await check(bob);
    await check(bob);
    expect(p.calls.filter((id) => id === bob.userId)).toHaveLength(2);
  });

  it('a forgotten user is read again at once (the replica that suspended them)', async () => {
    const clock = fixedClock();
    const p = provisioning();
    const check = rememberActiveUsers(p.provision, { clock, ttlMs: 5_000 });
    await check(alice);
    p.status.set(alice.userId, 'suspended');
    check.forget(alice.userId);
    await expect(check(alice)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('keeps at most maxEntries users, dropping the oldest', async () => {
    const clock = fixedClock();
    const p = provisioning();
    const check = rememberActiveUsers(p.provision, { clock, ttlMs: 60_000, maxEntries: 2 });
    const users = ['u-1', 'u-2', 'u-3'].map((userId) => aPrincipal().withId(userId).build());
    for (const u of users) await check(u);
    await check(users[2]!);
    await check(users[1]!);
    await check(users[0]!);
    expect(p.calls).toEqual(['u-1', 'u-2', 'u-3', 'u-1']);
  });
});
