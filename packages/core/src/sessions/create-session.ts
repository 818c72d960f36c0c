import type { Model } from '@volundr/contracts/models';
import type { Principal } from '@volundr/contracts/principal';
import type { Profile } from '@volundr/contracts/profiles';
import { emptyRuntime, type Session, ZCreateSessionInput } from '@volundr/contracts/sessions';
import type { Template } from '@volundr/contracts/templates';
import type { z } from 'zod';
import type { Authorization } from '../authz/ports/authorization';
import type { Models } from '../catalog/ports/models';
import type { Profiles } from '../catalog/ports/profiles';
import type { Templates } from '../catalog/ports/templates';
import { DomainError } from '../errors';
import type { PresetRecord, Presets } from '../presets/ports/presets';
import type { Clock } from '../shared/ports/clock';
import type { Ids } from '../shared/ports/ids';
import { startPatch } from './begin-start';
import { enforceRunningQuota } from './enforce-quota';
import type { GitRepositories } from './ports/git-repositories';
import type { Integrations } from './ports/integrations';
import type { Quotas } from './ports/quotas';
import type { Sessions } from './ports/sessions';
import { stateChanged } from './record-event';
import { resolveLaunch } from './resolve-launch';
import { authorizeCreate } from './session-access';
import type { SessionRecord } from './session-record';
import { toSessionView } from './session-view';
import { validateInput } from './validate-input';

export interface CreateSessionDeps {
  sessions: Sessions;
  authorization: Authorization;
  models: Models;
  templates: Templates;
  profiles: Profiles;
  presets: Presets;
  gitRepositories: GitRepositories;
  integrations: Integrations;
  quotas: Quotas;
  clock: Clock;
  ids: Ids;
  /** Idle timeout when no layer sets one (null: never stop idle sessions). */
  defaultIdleTimeoutMinutes?: number | null;
  notifyWork?: () => void;
}

export interface CreateSessionOptions {
  /** Set by reforge: the chronicle this session continues. */
  parentChronicleId?: string;
}

/**
 * Creates a session for the principal: resolves model, profile, template and preset, layers
 * their defaults under the request, validates the repository and integrations, stores the
 * session `created` with its launch context, then starts it unless `start: false`.
 */
export const createSession =
  (deps: CreateSessionDeps) =>
  async (
    principal: Principal,
    rawInput: z.input<typeof ZCreateSessionInput>,
    options: CreateSessionOptions = {},
  ): Promise<Session> => {
    const input = validateInput(ZCreateSessionInput, rawInput, 'session');
    await authorizeCreate(deps.authorization, principal);

    const model = await deps.models.byId(input.model);
    if (!model) throw new DomainError('MODEL_NOT_FOUND', `model: no model "${input.model}" in the catalog`);
    const preset = await findPreset(deps.presets, principal, input.presetId, model);
    const template = await findTemplate(deps.templates, input.templateName ?? preset?.templateName ?? undefined, model);
    const profileName = input.profileName ?? preset?.profileName ?? template?.profileName;
    const profile = await findProfile(deps.profiles, profileName, model);

    const resolved = resolveLaunch({
      model,
      profile,
      template,
      preset,
      request: input,
      defaultIdleTimeoutMinutes: deps.defaultIdleTimeoutMinutes ?? null,
    });

    const owner = { ownerId: principal.userId, tenantId: principal.tenantId };
    // Independent checks run together; their failures are reported in this order whatever
    // finished first (integrations, repository, quota).
    const source = input.source;
    const [found, repository, quota] = await Promise.allSettled([
      deps.integrations.forOwner(owner),
      source.type === 'git'
        ? deps.gitRepositories.validate(
            {
              repo: source.repo,
              branch: source.branch,
              ...(source.baseBranch ? { baseBranch: source.baseBranch } : {}),
            },
            owner,
          )
        : undefined,
      input.start ? enforceRunningQuota(deps, principal.tenantId) : undefined,
    ]);
    const connections = settled(found);
    let integrationIds: string[];
    if (resolved.integrationIds === undefined) {
      integrationIds = connections.filter((c) => c.enabled).map((c) => c.id);
    } else {
      const known = new Set(connections.map((c) => c.id));
      const missing = resolved.integrationIds.filter((id) => !known.has(id));
      if (missing.length > 0)
        throw new DomainError(
          'INTEGRATION_NOT_FOUND',
          `integrationIds: you have no integration ${missing.join(', ')}`,
          {
            missing,
          },
        );
      integrationIds = resolved.integrationIds;
    }

    settled(repository);
    settled(quota);

    const now = deps.clock.now();
    const launch = { ...resolved, integrationIds };
    const record: SessionRecord = {
      id: deps.ids.next(),
      name: input.name,
      ownerId: principal.userId,
      tenantId: principal.tenantId,
      model: model.id,
      source: input.source,
      state: 'created',
      stateReason: null,
      version: 1,
      launch,
      spec: null,
      endpoints: null,
      runtime: emptyRuntime,
      templateName: launch.templateName,
      profileName: launch.profileName,
      presetId: launch.presetId,
      parentChronicleId: options.parentChronicleId ?? null,
      idleTimeoutMinutes: launch.idleTimeoutMinutes,
      activityState: 'idle',
      activityMetadata: {},
      lastActivityAt: null,
      tokensUsed: 0,
      costUsd: 0,
      messageCount: 0,
      leaseOwner: null,
      leaseExpiresAt: null,
      provisioningStartedAt: null,
      runningSince: null,
      stoppedAt: null,
      archivedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    const created = { type: 'session_created', data: { name: record.name, state: 'created' } } as const;
    if (!input.start) {
      await deps.sessions.insert(record, [created]);
      return toSessionView(record);
    }
    // Created and started in one write: the row is stored `starting` with both events.
    const patch = startPatch(record, now);
    const started: SessionRecord = { ...record, ...patch };
    await deps.sessions.insert(started, [created, stateChanged(record.state, patch)]);
    deps.notifyWork?.();
    return toSessionView(started);
  };

/** The value of a settled promise, or its error thrown. */
function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

async function findTemplate(templates: Templates, name: string | undefined, model: Model): Promise<Template | null> {
  if (name === undefined) return null;
  const template = await templates.byName(name);
  if (!template) throw new DomainError('TEMPLATE_NOT_FOUND', `templateName: no template "${name}"`);
  if (template.cli && template.cli !== model.cli)
    throw new DomainError(
      'BAD_REQUEST',
      `templateName: template "${name}" is for ${template.cli} but model "${model.id}" runs on ${model.cli}`,
    );
  return template;
}

async function findProfile(profiles: Profiles, name: string | undefined, model: Model): Promise<Profile | null> {
  if (name === undefined) return profiles.defaultFor(model.cli);
  const profile = await profiles.byName(name);
  if (!profile) throw new DomainError('PROFILE_NOT_FOUND', `profileName: no profile "${name}"`);
  if (profile.cli !== model.cli)
    throw new DomainError(
      'BAD_REQUEST',
      `profileName: profile "${name}" is for ${profile.cli} but model "${model.id}" runs on ${model.cli}`,
    );
  return profile;
}

async function findPreset(
  presets: Presets,
  principal: Principal,
  id: string | undefined,
  model: Model,
): Promise<PresetRecord | null> {
  if (id === undefined) {
    const preset = await presets.defaultFor(principal.userId, model.cli);
    return preset && preset.tenantId === principal.tenantId ? preset : null;
  }
  const preset = await presets.byId(id);
  // Presets are personal: another user's preset does not exist for this principal.
  if (!preset || preset.ownerId !== principal.userId || preset.tenantId !== principal.tenantId)
    throw new DomainError('PRESET_NOT_FOUND', `presetId: you have no preset ${id}`);
  if (preset.cli !== model.cli)
    throw new DomainError(
      'BAD_REQUEST',
      `presetId: preset "${preset.name}" is for ${preset.cli} but model "${model.id}" runs on ${model.cli}`,
    );
  return preset;
}
