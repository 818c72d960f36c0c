import type { Model } from '@volundr/contracts/models';
import type { EnvSecretRef, LaunchDefaults, McpServer, Profile } from '@volundr/contracts/profiles';
import type { CreateSessionInput, LaunchContext } from '@volundr/contracts/sessions';
import type { Template } from '@volundr/contracts/templates';
import type { PresetRecord } from '../presets/ports/presets';

export interface LaunchLayers {
  model: Model;
  profile: Profile | null;
  template: Template | null;
  preset: PresetRecord | null;
  request: CreateSessionInput;
  /** Configuration-wide default when no layer sets an idle timeout (null: never). */
  defaultIdleTimeoutMinutes: number | null;
}

/**
 * Layers launch defaults: profile → template → preset → request, the later winning.
 * - single values (prompts, terminalRestricted, idle timeout): the last layer that sets one;
 * - resources: field by field (cpu, memory, gpu);
 * - env: key by key; envSecretRefs by env name; mcpServers by name (a later server replaces);
 * - setupScripts: concatenated in layer order (each layer adds its own steps);
 * - credentialNames, integrationIds: the last layer that gives a list (an empty list clears).
 * `integrationIds` stays undefined here when no layer names any: create resolves it to the
 * owner's enabled integrations, so the stored launch is complete.
 */
export function resolveLaunch(layers: LaunchLayers): Omit<LaunchContext, 'integrationIds'> & {
  integrationIds: string[] | undefined;
} {
  const { request } = layers;
  const requestLayer: LaunchDefaults = {
    systemPrompt: request.systemPrompt,
    initialPrompt: request.initialPrompt,
    resources: request.resources,
    credentialNames: request.credentialNames,
    integrationIds: request.integrationIds,
    terminalRestricted: request.terminalRestricted,
    idleTimeoutMinutes: request.idleTimeoutMinutes,
  };
  const stack: LaunchDefaults[] = [
    layers.profile ?? {},
    layers.template ?? {},
    layers.preset?.defaults ?? {},
    requestLayer,
  ];

  const last = <K extends keyof LaunchDefaults>(key: K): LaunchDefaults[K] =>
    stack.reduce<LaunchDefaults[K]>((acc, layer) => (layer[key] !== undefined ? layer[key] : acc), undefined);

  const env: Record<string, string> = {};
  const secretRefs = new Map<string, EnvSecretRef>();
  const mcpServers = new Map<string, McpServer>();
  const setupScripts: string[] = [];
  const resources: LaunchContext['resources'] = {};
  for (const layer of stack) {
    Object.assign(env, layer.env ?? {});
    for (const ref of layer.envSecretRefs ?? []) secretRefs.set(ref.env, ref);
    for (const server of layer.mcpServers ?? []) mcpServers.set(server.name, server);
    setupScripts.push(...(layer.setupScripts ?? []));
    for (const key of ['cpu', 'memory', 'gpu'] as const) {
      const value = layer.resources?.[key];
      if (value !== undefined) (resources as Record<string, unknown>)[key] = value;
    }
  }

  return {
    cli: layers.model.cli,
    model: layers.model.id,
    profileName: layers.profile?.name ?? null,
    templateName: layers.template?.name ?? null,
    presetId: layers.preset?.id ?? null,
    systemPrompt: last('systemPrompt') ?? null,
    initialPrompt: last('initialPrompt') ?? null,
    resources,
    env,
    envSecretRefs: [...secretRefs.values()],
    mcpServers: [...mcpServers.values()],
    setupScripts,
    repos: layers.template?.repos ?? [],
    credentialNames: last('credentialNames') ?? [],
    integrationIds: last('integrationIds'),
    terminalRestricted: last('terminalRestricted') ?? false,
    idleTimeoutMinutes: last('idleTimeoutMinutes') ?? layers.defaultIdleTimeoutMinutes,
  };
}
