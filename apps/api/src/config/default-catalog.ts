import type { Model } from '@volundr/contracts/models';
import type { Profile } from '@volundr/contracts/profiles';

/**
 * What a configuration without `models:` / `profiles:` gets, so a fresh `volundr up` can launch
 * sessions at once. Prices are list prices in USD per million tokens when this was written;
 * an installation that cares about cost reporting lists its own models.
 */
export const DEFAULT_MODELS: Model[] = [
  {
    id: 'claude-sonnet-4-5',
    name: 'Claude Sonnet 4.5',
    provider: 'anthropic',
    cli: 'claude',
    costPerMillionInputTokens: 3,
    costPerMillionOutputTokens: 15,
  },
  {
    id: 'claude-opus-4-1',
    name: 'Claude Opus 4.1',
    provider: 'anthropic',
    cli: 'claude',
    costPerMillionInputTokens: 15,
    costPerMillionOutputTokens: 75,
  },
  {
    id: 'claude-haiku-4-5',
    name: 'Claude Haiku 4.5',
    provider: 'anthropic',
    cli: 'claude',
    costPerMillionInputTokens: 1,
    costPerMillionOutputTokens: 5,
  },
  {
    id: 'gpt-5-codex',
    name: 'GPT-5 Codex',
    provider: 'openai',
    cli: 'codex',
    costPerMillionInputTokens: 1.25,
    costPerMillionOutputTokens: 10,
  },
];

export const DEFAULT_PROFILES: Profile[] = [
  { name: 'claude', description: 'Claude Code with default resources', cli: 'claude', isDefault: true },
  { name: 'codex', description: 'Codex with default resources', cli: 'codex', isDefault: true },
];
