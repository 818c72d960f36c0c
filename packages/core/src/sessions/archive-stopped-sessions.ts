import type { Principal } from '@volundr/contracts/principal';
import type { ArchiveStoppedOutput } from '@volundr/contracts/sessions';
import { isDomainError } from '../errors';
import { type ArchiveSessionDeps, archiveLoaded } from './archive-session';
import { authorize } from './session-access';

/**
 * Archives every stopped session of the principal. Sessions that change state meanwhile, or
 * that a policy does not let the principal archive, are skipped and listed as such.
 */
export const archiveStoppedSessions =
  (deps: ArchiveSessionDeps) =>
  async (principal: Principal): Promise<ArchiveStoppedOutput> => {
    const archived: string[] = [];
    const skipped: string[] = [];
    const scope = await deps.authorization.listScope(principal, 'session', principal.tenantId);
    if (scope === 'none') return { archived, skipped };
    let cursor: string | undefined;
    do {
      const page = await deps.sessions.list({
        tenantId: principal.tenantId,
        ownerId: principal.userId,
        states: ['stopped'],
        includeArchived: false,
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      for (const session of page.items) {
        try {
          await authorize(deps.authorization, principal, 'archive', session);
          await archiveLoaded(deps, session);
          archived.push(session.id);
        } catch (error) {
          if (!isDomainError(error)) throw error;
          skipped.push(session.id);
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { archived, skipped };
  };
