import type { Integrations } from '../sessions/ports/integrations';
import type { IntegrationRecords } from './ports/integration-records';

/**
 * The sessions' view of a person's integrations: git provider connections bring no MCP server,
 * only their token credential, which SecretInjection puts into the session (git credential helper).
 */
export function ownerIntegrations(records: IntegrationRecords): Integrations {
  return {
    async forOwner(owner) {
      return (await records.listForOwner(owner)).map((r) => ({
        id: r.id,
        slug: r.provider,
        enabled: r.enabled,
        mcpServer: null,
        credentialName: r.credentialName,
      }));
    },
  };
}
