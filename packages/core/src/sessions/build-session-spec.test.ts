import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import { fakeGitRepositories } from '../testing/fake-git-repositories';
import { aLaunch, aSession } from '../testing/session-builder';
import { aCleanupContext, aSessionContext } from '../testing/session-context-builder';
import { aSessionWorld } from '../testing/session-world';
import { buildSessionSpec, runCleanups } from './build-session-spec';
import { CONTRIBUTOR_ORDER, defaultContributors } from './contributors/default-contributors';
import type { Contributor } from './session-context';

const gitSession = () =>
  aSession()
    .withId('s-1')
    .with({
      source: { type: 'git', repo: 'https://git.example.test/org/api', branch: 'main' },
      launch: aLaunch({
        credentialNames: ['anthropic'],
        envSecretRefs: [{ env: 'GH_TOKEN', secret: 'github', key: 'token' }],
        env: { NODE_ENV: 'development' },
        systemPrompt: 'Be careful.',
      }),
    })
    .starting()
    .build();

const failing = (name: string, error: unknown): Contributor => ({
  name,
  contribute: async () => {
    throw error;
  },
});

describe('buildSessionSpec', () => {
  it('runs the ten contributors in order into one valid spec', async () => {
    const { deps } = aSessionWorld();
    const applied: string[] = [];
    const spec = await buildSessionSpec(deps.contributors, aSessionContext(gitSession()), {
      onApplied: (name, index, total) => {
        applied.push(`${index + 1}/${total} ${name}`);
      },
    });
    expect(applied).toEqual(CONTRIBUTOR_ORDER.map((name, i) => `${i + 1}/10 ${name}`));
    expect(spec.session).toMatchObject({ id: 's-1', cli: 'claude' });
    expect(spec.pod.containers.map((c) => c.name)).toEqual(['skuld', 'terminal', 'ide']);
    expect(spec.pod.volumes.map((v) => v.name)).toEqual(['workspace', 'home', 'cred-anthropic']);
    expect(spec.pod.env).toEqual([
      { name: 'NODE_ENV', value: 'development' },
      { name: 'GH_TOKEN', secretRef: { name: 'github', key: 'token' } },
    ]);
    expect(spec.git?.repos[0]?.cloneUrl).toBe('https://git.example.test/org/api.git');
    expect(spec.gateway?.endpoints.chat).toBe('/s/s-1/ws/chat');
    expect(spec.agent.systemPrompt).toBe('Be careful.');
    expect(spec.pod.labels['volundr.io/session-id']).toBe('s-1');
    expect(spec.extensions).toEqual({});
  });

  it('lets an extra contributor add to the spec after the built-in ones', async () => {
    const { deps } = aSessionWorld();
    const extra: Contributor = {
      name: 'Telemetry',
      contribute: async () => ({
        values: { extensions: { telemetry: { endpoint: 'http://otel:4318' } } },
        podSpec: { containers: [{ name: 'skuld', env: [{ name: 'OTEL_ENDPOINT', value: 'http://otel:4318' }] }] },
      }),
    };
    const contributors = [...deps.contributors, extra];
    const spec = await buildSessionSpec(contributors, aSessionContext(gitSession()));
    expect(spec.extensions).toEqual({ telemetry: { endpoint: 'http://otel:4318' } });
    expect(spec.pod.containers[0]?.env).toContainEqual({ name: 'OTEL_ENDPOINT', value: 'http://otel:4318' });
  });

  it('reports a conflict between a built-in and an extra contributor by name', async () => {
    const { deps } = aSessionWorld();
    const clash: Contributor = {
      name: 'Custom',
      contribute: async () => ({ values: { workspace: { mountPath: '/elsewhere' } }, podSpec: {} }),
    };
    await expect(buildSessionSpec([...deps.contributors, clash], aSessionContext(gitSession()))).rejects.toMatchObject({
      code: 'SPEC_CONFLICT',
      message:
        'Contributors "Storage" and "Custom" both set workspace.mountPath ("/volundr/workspace" vs "/elsewhere")',
    });
  });

  it('refuses a merged spec that fails validation, with paths', async () => {
    const { contributorPorts } = aSessionWorld();
    const leaky = fakeGitRepositories();
    leaky.cloneInfo = async (request) => ({
      repoUrl: request.repo,
      cloneUrl: 'https://x-access-token:ghp_secret@git.example.test/org/api.git',
      branch: request.branch,
      path: request.path,
      credential: null,
    });
    const contributors = defaultContributors({ ...contributorPorts, gitRepositories: leaky });
    const error = await buildSessionSpec(contributors, aSessionContext(gitSession())).catch((e) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.message).toContain('git.repos.0.cloneUrl: must not contain credentials');
    expect(error.details.issues[0].path).toEqual(['git', 'repos', 0, 'cloneUrl']);
  });

  it('says which contributor failed, keeping a domain code', async () => {
    const ctx = aSessionContext(gitSession());
    await expect(buildSessionSpec([failing('Storage', new Error('disk full'))], ctx)).rejects.toMatchObject({
      code: 'CONTRIBUTOR_FAILED',
      message: 'Storage failed: disk full',
      details: { contributor: 'Storage' },
    });
    await expect(
      buildSessionSpec([failing('Git', new DomainError('REPO_UNREACHABLE', 'repo down'))], ctx),
    ).rejects.toMatchObject({ code: 'REPO_UNREACHABLE', message: 'Git: repo down', details: { contributor: 'Git' } });
  });
});

describe('runCleanups', () => {
  it('runs cleanups in reverse order and keeps going past failures', async () => {
    const order: string[] = [];
    const step = (name: string, fail = false): Contributor => ({
      name,
      contribute: async () => ({ values: {}, podSpec: {} }),
      cleanup: async () => {
        order.push(name);
        if (fail) throw new Error(`${name} broke`);
      },
    });
    const failures = await runCleanups(
      [
        step('A'),
        { name: 'NoCleanup', contribute: async () => ({ values: {}, podSpec: {} }) },
        step('B', true),
        step('C'),
      ],
      aCleanupContext(),
    );
    expect(order).toEqual(['C', 'B', 'A']);
    expect(failures).toEqual([{ contributor: 'B', message: 'B broke' }]);
  });
});
