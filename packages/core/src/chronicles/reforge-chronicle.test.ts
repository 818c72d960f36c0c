import type { Principal } from '@volundr/contracts/principal';
import type { Session } from '@volundr/contracts/sessions';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { aChronicle } from '../testing/chronicle-builder';
import { fixedClock } from '../testing/fixed-clock';
import { ownerOnlyAuthorization } from '../testing/owner-only-authorization';
import { aPrincipal } from '../testing/principal-builder';
import { sequentialIds } from '../testing/sequential-ids';
import type { ChronicleRecord } from './chronicle-record';
import type { Chronicles } from './ports/chronicles';
import type { SessionFacts } from './ports/session-lookup';
import { reforgeChronicle } from './reforge-chronicle';

function world(chronicle: ChronicleRecord, takenNames: string[] = []) {
  const created: { input: Record<string, unknown>; options: unknown }[] = [];
  const ensured: SessionFacts[] = [];
  const chronicles = {
    byId: async (id: string) => (id === chronicle.id ? chronicle : null),
    ensureForSession: async (session: SessionFacts) => {
      ensured.push(session);
      return chronicle;
    },
  } as unknown as Chronicles;
  const reforge = reforgeChronicle({
    chronicles,
    authorization: ownerOnlyAuthorization(),
    clock: fixedClock(),
    ids: sequentialIds('c'),
    createSession: async (principal: Principal, input, options) => {
      if (takenNames.includes(input.name)) throw new DomainError('SESSION_NAME_TAKEN', `taken: ${input.name}`);
      created.push({ input: input as Record<string, unknown>, options });
      return {
        id: `s-new-${created.length}`,
        name: input.name,
        ownerId: principal.userId,
        tenantId: principal.tenantId,
        model: input.model,
        source: input.source,
        state: 'starting',
        templateName: input.templateName ?? null,
        profileName: input.profileName ?? null,
        parentChronicleId: options.parentChronicleId,
        runningSince: null,
        stoppedAt: null,
      } as Session;
    },
  });
  return { reforge, created, ensured };
}

const alice = aPrincipal().build();

describe('reforging a chronicle', () => {
  it('creates a started session linked to the chronicle and its draft chronicle at once', async () => {
    const w = world(aChronicle());
    const session = await w.reforge(alice, { id: 'c-1' });
    expect(session).toMatchObject({ name: 'fix-login-reforged', parentChronicleId: 'c-1', state: 'starting' });
    expect(w.created[0]).toMatchObject({
      input: { model: 'claude-sonnet', start: true, source: { type: 'git', branch: 'feature/x' } },
      options: { parentChronicleId: 'c-1' },
    });
    expect(w.ensured).toEqual([expect.objectContaining({ id: 's-new-1', parentChronicleId: 'c-1' })]);
  });

  it('numbers the default name when taken; a name the caller chose is not changed', async () => {
    const w = world(aChronicle(), ['fix-login-reforged', 'fix-login-reforged-2']);
    expect((await w.reforge(alice, { id: 'c-1' })).name).toBe('fix-login-reforged-3');
    await expect(w.reforge(alice, { id: 'c-1', name: 'fix-login-reforged' })).rejects.toMatchObject({
      code: 'SESSION_NAME_TAKEN',
    });
  });

  it("another user's chronicle is not found; a viewer may not reforge; a chronicle without a model cannot be", async () => {
    const w = world(aChronicle());
    await expect(w.reforge(aPrincipal().withId('u-bob').build(), { id: 'c-1' })).rejects.toMatchObject({
      code: 'CHRONICLE_NOT_FOUND',
    });
    await expect(w.reforge(aPrincipal().withRoles('volundr:viewer').build(), { id: 'c-1' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(world(aChronicle({ model: null })).reforge(alice, { id: 'c-1' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(w.created).toHaveLength(0);
  });
});
