import { describe, expect, it } from 'vitest';
import { aSession } from '../../testing/session-builder';
import { aSessionContext } from '../../testing/session-context-builder';
import { integrationContributor } from './integration-contributor';

describe('Integration contributor', () => {
  it("adds the MCP servers of the session's enabled integrations", async () => {
    const jira = { transport: 'stdio' as const, name: 'jira', command: 'jira-mcp', args: [], env: {} };
    const context = aSessionContext(aSession().build(), [
      { id: 'i-1', slug: 'jira', enabled: true, mcpServer: jira, credentialName: 'jira-token' },
      { id: 'i-2', slug: 'slack', enabled: false, mcpServer: { ...jira, name: 'slack' }, credentialName: null },
      { id: 'i-3', slug: 'linear', enabled: true, mcpServer: null, credentialName: 'linear' },
    ]);
    const { values } = await integrationContributor().contribute(context);
    expect(values.agent?.mcpServers).toEqual([jira]);
  });

  it('contributes nothing without integrations', async () => {
    expect(await integrationContributor().contribute(aSessionContext())).toEqual({ values: {}, podSpec: {} });
  });
});
