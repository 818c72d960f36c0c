import { type DeleteChronicleOutput, ZChronicleIdInput } from '@volundr/contracts/chronicles';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { validateInput } from '../sessions/validate-input';
import { chronicleNotFound, loadChronicleFor } from './chronicle-access';
import type { Chronicles } from './ports/chronicles';

export interface DeleteChronicleDeps {
  chronicles: Chronicles;
  authorization: Authorization;
}

/** `chronicles.delete`: the chronicle and its timeline go; chronicles reforged from it stay, unlinked. */
export const deleteChronicle =
  (deps: DeleteChronicleDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZChronicleIdInput>): Promise<DeleteChronicleOutput> => {
    const input = validateInput(ZChronicleIdInput, rawInput, 'chronicle id');
    await loadChronicleFor(deps, principal, input.id, 'delete');
    if (!(await deps.chronicles.delete(input.id))) throw chronicleNotFound(input.id);
    return { id: input.id, deleted: true };
  };
