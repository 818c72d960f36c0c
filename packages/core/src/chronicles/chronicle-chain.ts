import { type ChronicleChain, ZChronicleIdInput } from '@volundr/contracts/chronicles';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { validateInput } from '../sessions/validate-input';
import { chronicleResource, loadChronicleFor } from './chronicle-access';
import { toChronicleView } from './chronicle-record';
import type { Chronicles } from './ports/chronicles';

export interface ChronicleChainDeps {
  chronicles: Chronicles;
  authorization: Authorization;
}

/** Reforge chains are short; this bounds a walk should a cycle ever be written by hand. */
export const MAX_CHAIN_DEPTH = 1_000;

/**
 * `chronicles.chain`: the reforge chain through a chronicle — its ancestors oldest first, the
 * chronicle, then its descendants — keeping only chronicles the principal may read.
 */
export const chronicleChain =
  (deps: ChronicleChainDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZChronicleIdInput>): Promise<ChronicleChain> => {
    const input = validateInput(ZChronicleIdInput, rawInput, 'chronicle id');
    await loadChronicleFor(deps, principal, input.id, 'read');
    const chain = await deps.chronicles.chain(input.id, MAX_CHAIN_DEPTH);
    const readable = await Promise.all(
      chain.map(
        async (c) =>
          c.tenantId === principal.tenantId &&
          (await deps.authorization.check(principal, 'read', chronicleResource(c))).allowed,
      ),
    );
    return { items: chain.filter((_, i) => readable[i]).map(toChronicleView) };
  };
