import { describe, expect, it } from 'vitest';
import { aLaunch, aSession } from '../../testing/session-builder';
import { aSessionContext } from '../../testing/session-context-builder';
import { templateContributor } from './template-contributor';

describe('Template contributor', () => {
  it('turns the stored launch into agent settings and env', async () => {
    const launch = aLaunch({
      systemPrompt: 'Be terse.',
      initialPrompt: 'Fix the build.',
      setupScripts: ['npm ci'],
      mcpServers: [{ transport: 'http', name: 'docs', url: 'https://docs.example.test/mcp', headers: {} }],
      env: { NODE_ENV: 'development' },
    });
    const { values, podSpec } = await templateContributor().contribute(
      aSessionContext(aSession().with({ launch }).build()),
    );
    expect(values.agent).toEqual({
      systemPrompt: 'Be terse.',
      initialPrompt: 'Fix the build.',
      setupScripts: ['npm ci'],
      mcpServers: launch.mcpServers,
    });
    expect(podSpec.env).toEqual([{ name: 'NODE_ENV', value: 'development' }]);
  });

  it('sets no prompt when the launch has none', async () => {
    const { values } = await templateContributor().contribute(aSessionContext());
    expect(values.agent).toEqual({ setupScripts: [], mcpServers: [] });
  });
});
