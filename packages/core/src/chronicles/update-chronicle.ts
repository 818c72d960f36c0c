import { type Chronicle, ZUpdateChronicleInput } from '@volundr/contracts/chronicles';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { validateInput } from '../sessions/validate-input';
import type { Clock } from '../shared/ports/clock';
import { chronicleNotFound, loadChronicleFor } from './chronicle-access';
import { toChronicleView } from './chronicle-record';
import type { ChroniclePatch, Chronicles } from './ports/chronicles';

export interface UpdateChronicleDeps {
  chronicles: Chronicles;
  authorization: Authorization;
  clock: Clock;
}

/** `chronicles.update`: the owner corrects the summary or unfinished work, or tags it. */
export const updateChronicle =
  (deps: UpdateChronicleDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZUpdateChronicleInput>): Promise<Chronicle> => {
    const input = validateInput(ZUpdateChronicleInput, rawInput, 'chronicle update');
    await loadChronicleFor(deps, principal, input.id, 'update');
    const patch: ChroniclePatch = {};
    if (input.summary !== undefined) patch.summary = input.summary;
    if (input.unfinishedWork !== undefined) patch.unfinishedWork = input.unfinishedWork;
    if (input.tags !== undefined) patch.tags = input.tags;
    const updated = await deps.chronicles.update(input.id, patch, deps.clock.now());
    if (!updated) throw chronicleNotFound(input.id);
    return toChronicleView(updated);
  };
