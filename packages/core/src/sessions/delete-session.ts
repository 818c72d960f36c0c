import type { Principal } from '@volundr/contracts/principal';
import { ZDeleteSessionInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { DomainError, isDomainError } from '../errors';
import type { Clock } from '../shared/ports/clock';
import type { Logger } from '../shared/ports/logger';
import { runCleanups } from './build-session-spec';
import type { PodManager } from './ports/pod-manager';
import type { SessionChronicles } from './ports/session-chronicles';
import type { Sessions } from './ports/sessions';
import { currentHandle } from './runtime-handle';
import { loadSessionFor } from './session-access';
import type { Contributor } from './session-context';
import { validateInput } from './validate-input';

export interface DeleteSessionDeps {
  sessions: Sessions;
  authorization: Authorization;
  podManager: PodManager;
  contributors: readonly Contributor[];
  /** Needed only when a delete asks to remove chronicles. */
  chronicles?: SessionChronicles;
  clock: Clock;
  logger: Logger;
}

/**
 * Deletes a session in any state: removes its pod (best effort, the workspace too when asked),
 * runs the contributor cleanups in reverse order, deletes its chronicles when asked, then the
 * row. A failing cleanup is logged and reported as an event; it does not keep the row.
 */
export const deleteSession =
  (deps: DeleteSessionDeps) =>
  async (
    principal: Principal,
    rawInput: z.input<typeof ZDeleteSessionInput>,
  ): Promise<{ id: string; deleted: true }> => {
    const input = validateInput(ZDeleteSessionInput, rawInput, 'delete request');
    const removeWorkspace = input.cleanup.includes('workspace_storage');
    const removeChronicles = input.cleanup.includes('chronicles');
    if (removeChronicles && !deps.chronicles)
      throw new DomainError('DEPENDENCY_UNAVAILABLE', 'cleanup: chronicles cannot be deleted on this server');

    let session = await loadSessionFor(deps, principal, input.id, 'delete');
    const log = deps.logger.child({ sessionId: session.id });

    const handle = await currentHandle(deps.podManager, session);
    if (handle) {
      try {
        await deps.podManager.delete(handle, { removeWorkspace });
      } catch (error) {
        log.warn({ err: error }, 'could not remove the pod of a deleted session; the runtime must reap it');
      }
    }
    const failures = await runCleanups(deps.contributors, {
      session,
      launch: session.launch,
      reason: 'delete',
      removeWorkspace,
    });
    for (const f of failures) log.warn({ contributor: f.contributor, error: f.message }, 'cleanup failed on delete');
    if (removeChronicles) await deps.chronicles?.deleteForSession(session.id);

    // The reconciler may have touched the row meanwhile; deleting wins, so retry on the new version.
    // The `session_deleted` event commits with the delete; a row someone else deleted already
    // was announced by them.
    const deleted = { at: deps.clock.now(), events: [{ type: 'session_deleted', data: {} }] as const };
    for (let attempt = 0; ; attempt++) {
      try {
        await deps.sessions.delete(session.id, session.version, deleted);
        break;
      } catch (error) {
        if (isDomainError(error) && error.code === 'SESSION_NOT_FOUND') break;
        if (!(isDomainError(error) && error.code === 'CONCURRENT_MODIFICATION') || attempt >= 5) throw error;
        const fresh = await deps.sessions.byId(session.id);
        if (!fresh) break;
        session = fresh;
      }
    }
    return { id: session.id, deleted: true };
  };
