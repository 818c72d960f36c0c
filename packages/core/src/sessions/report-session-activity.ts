import type { Principal } from '@volundr/contracts/principal';
import { ZReportActivityInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import type { Clock } from '../shared/ports/clock';
import type { Sessions } from './ports/sessions';
import { loadSessionFor } from './session-access';
import { validateInput } from './validate-input';

export interface ReportSessionActivityDeps {
  sessions: Sessions;
  authorization: Authorization;
  clock: Clock;
}

/**
 * The broker's report of what the agent is doing. Every report is activity (it resets the
 * idle clock, browser attached or not); a change of activity state, or of the number of chat
 * connections the broker reports (`metadata.connections`), is also an event.
 */
export const reportSessionActivity =
  (deps: ReportSessionActivityDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZReportActivityInput>): Promise<void> => {
    const input = validateInput(ZReportActivityInput, rawInput, 'activity report');
    const session = await loadSessionFor(deps, principal, input.id, 'report_activity');
    const now = deps.clock.now();
    // A change of state is announced with the write that makes it.
    const changed =
      session.activityState !== input.state ||
      input.metadata.connections !== (session.activityMetadata as { connections?: unknown }).connections;
    await deps.sessions.recordActivity(
      session.id,
      { state: input.state, metadata: input.metadata, at: now },
      changed ? [{ type: 'activity_changed', data: { state: input.state, metadata: input.metadata } }] : [],
    );
  };
