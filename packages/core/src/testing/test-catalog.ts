import { type Catalog, catalogFromConfig } from '../catalog/config-catalog';

/** Three models, a default profile per CLI and one template, as a configuration file would give. */
export function testCatalog(): Catalog {
  return catalogFromConfig({
    models: [
      {
        id: 'claude-sonnet',
        name: 'Claude Sonnet',
        provider: 'anthropic',
        cli: 'claude',
        costPerMillionInputTokens: 3,
        costPerMillionOutputTokens: 15,
      },
      {
        id: 'claude-opus',
        name: 'Claude Opus',
        provider: 'anthropic',
        cli: 'claude',
        costPerMillionInputTokens: 15,
        costPerMillionOutputTokens: 75,
      },
      {
        id: 'gpt-codex',
        name: 'GPT Codex',
        provider: 'openai',
        cli: 'codex',
        costPerMillionInputTokens: 1.25,
        costPerMillionOutputTokens: 10,
      },
    ],
    profiles: [
      {
        name: 'standard',
        cli: 'claude',
        isDefault: true,
        resources: { cpu: '1', memory: '2Gi' },
        env: { LAYER: 'profile', PROFILE_ONLY: '1' },
        idleTimeoutMinutes: 60,
        setupScripts: ['echo profile'],
      },
      { name: 'big', cli: 'claude', resources: { cpu: '4', memory: '16Gi' } },
      { name: 'codex-default', cli: 'codex', isDefault: true },
    ],
    templates: [
      {
        name: 'web-app',
        cli: 'claude',
        profileName: 'big',
        systemPrompt: 'You work on the web app.',
        env: { LAYER: 'template', TEMPLATE_ONLY: '1' },
        setupScripts: ['npm ci'],
        repos: [{ url: 'https://git.example.test/org/design-system', path: 'vendor/design-system' }],
        mcpServers: [{ transport: 'stdio', name: 'docs', command: 'docs-mcp' }],
      },
    ],
  });
}
