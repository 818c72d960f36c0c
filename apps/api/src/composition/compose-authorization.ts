import type { Authorization } from '@volundr/core/authz/ports/authorization';
import { withSessionScope } from '@volundr/core/authz/session-scope';
import type { Config } from '../config/schema';
import { loadAdapter } from './load-adapter';

export const DEFAULT_AUTHORIZATION = '@volundr/adapter-authz/builtin-roles#builtinRoles';

/** The Authorization adapter the configuration names (built-in roles by default). */
export async function composeAuthorization(config: Config, deps: Record<string, unknown>): Promise<Authorization> {
  const adapter = await loadAdapter<Authorization>({
    blockName: 'adapters.authorization',
    port: 'authorization',
    block: config.adapters.authorization ?? { use: DEFAULT_AUTHORIZATION },
    deps,
    // The runtime mode is the root's to say (allow-all refuses to run outside local mode).
    enforced: { mode: config.mode },
  });
  // Session-scoped credentials (a broker's report token) are confined whatever the adapter says.
  return withSessionScope(adapter);
}
