import {
  type SessionUsage,
  type TokenBurn,
  ZSessionTokensInput,
  ZSessionUsageInput,
} from '@volundr/contracts/chronicles';
import type { Principal } from '@volundr/contracts/principal';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import { validateInput } from '../sessions/validate-input';
import { loadSessionFactsFor } from './chronicle-access';
import type { Chronicles } from './ports/chronicles';
import type { SessionLookup } from './ports/session-lookup';
import type { TokenUsage } from './ports/token-usage';
import { burnView, usageView } from './usage-views';

export interface SessionUsageDeps {
  sessions: SessionLookup;
  chronicles: Chronicles;
  usage: TokenUsage;
  authorization: Authorization;
}

/** `usage.bySession`: the session's token usage and cost, in total and per model. */
export const sessionUsage =
  (deps: SessionUsageDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZSessionUsageInput>): Promise<SessionUsage> => {
    const input = validateInput(ZSessionUsageInput, rawInput, 'usage request');
    const session = await loadSessionFactsFor(deps, principal, input.sessionId, ['read']);
    return { sessionId: session.id, ...usageView(await deps.usage.byModel(session.id)) };
  };

/** `usage.tokens`: the session's token burn in buckets of the chosen size, from its chronicle's start. */
export const sessionTokenBurn =
  (deps: SessionUsageDeps) =>
  async (principal: Principal, rawInput: z.input<typeof ZSessionTokensInput>): Promise<TokenBurn> => {
    const input = validateInput(ZSessionTokensInput, rawInput, 'token series request');
    const session = await loadSessionFactsFor(deps, principal, input.sessionId, ['read']);
    const chronicle = await deps.chronicles.bySession(session.id);
    const start = chronicle?.startedAt ?? (await deps.usage.firstAt(session.id));
    const rows = start ? await deps.usage.burn(session.id, start, input.bucketSeconds) : [];
    return burnView(rows, start, input.bucketSeconds);
  };
