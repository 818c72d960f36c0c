import type { McpServer } from '@volundr/contracts/profiles';

/** One of a user's connections to an external tool (issue tracker, chat, docs...). */
export interface IntegrationConnection {
  id: string;
  slug: string;
  enabled: boolean;
  /** The MCP server the CLI gets for this connection, if any. */
  mcpServer: McpServer | null;
  /** The stored credential the connection uses, injected with the session's credentials. */
  credentialName: string | null;
}

/** A user's integration connections. */
export interface Integrations {
  forOwner(owner: { ownerId: string; tenantId: string }): Promise<IntegrationConnection[]>;
}
