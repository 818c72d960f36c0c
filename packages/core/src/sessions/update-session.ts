import type { Principal } from '@volundr/contracts/principal';
import { type Session, ZUpdateSessionInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import type { Models } from '../catalog/ports/models';
import { DomainError } from '../errors';
import type { Clock } from '../shared/ports/clock';
import type { Sessions } from './ports/sessions';
import { retryOnConflict } from './retry-on-conflict';
import { loadSessionFor } from './session-access';
import type { SessionPatch } from './session-record';
import { toSessionView } from './session-view';
import { validateInput } from './validate-input';

export interface UpdateSessionDeps {
  sessions: Sessions;
  authorization: Authorization;
  models: Models;
  clock: Clock;
}

/**
 * Renames a session or changes its model or branch. Model and branch take effect at the next
 * start (they are part of the stored launch); the model must run on the same CLI.
 */
export const updateSession =
  (deps: UpdateSessionDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZUpdateSessionInput>): Promise<Session> => {
    const input = validateInput(ZUpdateSessionInput, rawInput, 'session update');
    const model = input.model === undefined ? null : await deps.models.byId(input.model);
    if (input.model !== undefined && !model)
      throw new DomainError('MODEL_NOT_FOUND', `model: no model "${input.model}" in the catalog`);
    return retryOnConflict(async () => {
      const session = await loadSessionFor(deps, principal, input.id, 'update');
      if (session.state === 'archived')
        throw new DomainError('SESSION_INVALID_TRANSITION', `Session "${session.name}" is archived; restore it first`);
      const now = deps.clock.now();
      const patch: SessionPatch = { updatedAt: now };
      const fields: string[] = [];
      if (input.name !== undefined && input.name !== session.name) {
        patch.name = input.name;
        fields.push('name');
      }
      if (model && model.id !== session.model) {
        if (model.cli !== session.launch.cli)
          throw new DomainError(
            'BAD_REQUEST',
            `model: "${model.id}" runs on ${model.cli} but this session runs ${session.launch.cli}; create a new session instead`,
          );
        patch.model = model.id;
        patch.launch = { ...session.launch, model: model.id };
        fields.push('model');
      }
      if (input.branch !== undefined) {
        if (session.source.type !== 'git')
          throw new DomainError('BAD_REQUEST', 'branch: this session has no git source');
        if (input.branch !== session.source.branch) {
          patch.source = { ...session.source, branch: input.branch };
          fields.push('branch');
        }
      }
      if (fields.length === 0) return toSessionView(session);
      const updated = await deps.sessions.update(session.id, session.version, patch, [
        { type: 'session_updated', data: { fields } },
      ]);
      return toSessionView(updated);
    });
  };
