import { describe, expect, it } from 'vitest';
import { createTransport } from './create-transport';
import type { TransportName } from './transport';

describe('createTransport', () => {
  it.each([
    ['claude-sdk', ['interrupt', 'set_model', 'permission_requests', 'resume']],
    ['claude-subprocess', ['interrupt', 'set_model', 'resume']],
    ['codex', ['interrupt', 'set_model', 'resume']],
  ] as const)('builds %s with its capabilities, resume id and model', (name: TransportName, capabilities) => {
    const t = createTransport(name, { workspaceDir: '/ws', model: 'm-1', env: {}, binary: 'x', resumeId: 'r-1' });
    expect(t.name).toBe(name);
    expect([...t.capabilities]).toEqual(capabilities);
    expect(t.cliSessionId).toBe('r-1');
    expect(t.model).toBe('m-1');
  });

  it('does not spawn anything until a turn runs, and closes cleanly', async () => {
    const t = createTransport('claude-sdk', { workspaceDir: '/ws', model: '', env: {}, binary: '/nonexistent' });
    expect(t.model).toBe('default');
    await t.interrupt();
    await t.close();
  });
});
