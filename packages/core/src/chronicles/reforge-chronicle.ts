import { ZReforgeChronicleInput } from '@volundr/contracts/chronicles';
import type { Principal } from '@volundr/contracts/principal';
import type { Session, ZCreateSessionInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { DomainError, isDomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import type { Clock } from '../shared/ports/clock';
import type { Ids } from '../shared/ports/ids';
import { loadChronicleFor } from './chronicle-access';
import type { Chronicles } from './ports/chronicles';
import type { SessionFacts } from './ports/session-lookup';
import { reforgeName, reforgeSessionInput } from './reforge-input';

export interface ReforgeChronicleDeps {
  chronicles: Chronicles;
  authorization: Authorization;
  clock: Clock;
  ids: Ids;
  /** The sessions domain's create use case (it authorizes, validates, stores and starts). */
  createSession: (
    principal: Principal,
    input: z.input<typeof ZCreateSessionInput>,
    options: { parentChronicleId: string },
  ) => Promise<Session>;
}

/** Default names tried before giving up (`-reforged`, `-reforged-2`, …). */
const MAX_NAME_ATTEMPTS = 20;

const toFacts = (s: Session): SessionFacts => ({
  id: s.id,
  ownerId: s.ownerId,
  tenantId: s.tenantId,
  name: s.name,
  model: s.model,
  source: s.source,
  templateName: s.templateName,
  profileName: s.profileName,
  state: s.state,
  parentChronicleId: s.parentChronicleId,
  runningSince: s.runningSince ? new Date(s.runningSince) : null,
  stoppedAt: s.stoppedAt ? new Date(s.stoppedAt) : null,
});

/**
 * `chronicles.reforge`: a new session on the chronicle's repository, branch, model and
 * template, whose initial prompt carries the previous summary and unfinished work, linked to
 * the chronicle (`parentChronicleId`) and started at once. Its draft chronicle is created
 * right away, so the chain shows it before the new session reports anything.
 */
export const reforgeChronicle =
  (deps: ReforgeChronicleDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZReforgeChronicleInput>): Promise<Session> => {
    const input = validateInput(ZReforgeChronicleInput, rawInput, 'reforge request');
    const chronicle = await loadChronicleFor(deps, principal, input.id, 'reforge');
    if (!chronicle.model) {
      throw new DomainError('BAD_REQUEST', `Chronicle ${chronicle.id} records no model to reforge with`, {
        chronicleId: chronicle.id,
      });
    }
    let session: Session | null = null;
    for (let attempt = 1; !session; attempt += 1) {
      const name = input.name ?? reforgeName(chronicle.sessionName, attempt);
      try {
        session = await deps.createSession(principal, reforgeSessionInput(chronicle, name), {
          parentChronicleId: chronicle.id,
        });
      } catch (error) {
        const retry =
          isDomainError(error) &&
          error.code === 'SESSION_NAME_TAKEN' &&
          input.name === undefined &&
          attempt < MAX_NAME_ATTEMPTS;
        if (!retry) throw error;
      }
    }
    await deps.chronicles.ensureForSession(toFacts(session), deps.ids.next(), deps.clock.now());
    return session;
  };
