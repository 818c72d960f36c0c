import type { Contributor } from '../session-context';

/**
 * The layered launch defaults (template, profile, preset, request — already resolved and stored
 * at create): prompts, setup scripts, MCP servers and plain env vars.
 */
export function templateContributor(): Contributor {
  return {
    name: 'Template',
    async contribute({ launch }) {
      return {
        values: {
          agent: {
            ...(launch.systemPrompt !== null ? { systemPrompt: launch.systemPrompt } : {}),
            ...(launch.initialPrompt !== null ? { initialPrompt: launch.initialPrompt } : {}),
            setupScripts: launch.setupScripts,
            mcpServers: launch.mcpServers,
          },
        },
        podSpec: { env: Object.entries(launch.env).map(([name, value]) => ({ name, value })) },
      };
    },
  };
}
