import { type Contributor, emptyContribution } from '../session-context';

/**
 * MCP servers of the owner's integration connections named by the launch. The connections
 * are read from the Integrations port once, when the SessionContext is built; their
 * credentials are injected by SecretInjection with the session's other credentials.
 */
export function integrationContributor(): Contributor {
  return {
    name: 'Integration',
    async contribute({ integrations }) {
      const servers = integrations.flatMap((c) => (c.enabled && c.mcpServer ? [c.mcpServer] : []));
      if (servers.length === 0) return emptyContribution();
      return { values: { agent: { mcpServers: servers } }, podSpec: {} };
    },
  };
}
