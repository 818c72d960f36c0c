import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podStatusOf } from './pod-status';

const options = { unschedulableGraceMs: 0, now: () => Date.parse('2026-01-01T00:10:00Z') };
const base = (status: V1Pod['status'], spec: Partial<NonNullable<V1Pod['spec']>> = {}): V1Pod => ({
  metadata: { name: 's-1-1' },
  spec: {
    containers: [
      { name: 'skuld', image: 'session:1', resources: { limits: { memory: '2Gi' } } },
      { name: 'terminal', image: 'session:1' },
    ],
    volumes: [{ name: 'workspace', persistentVolumeClaim: { claimName: 's-1-workspace' } }],
    ...spec,
  },
  status,
});
const running = (name: string, ready = true) => ({
  name,
  image: 'session:1',
  imageID: '',
  restartCount: 0,
  ready,
  state: { running: {} },
});

describe('podStatusOf', () => {
  it('is missing without a pod, running with every container ready', () => {
    expect(podStatusOf(undefined, options).phase).toBe('missing');
    const status = podStatusOf(
      base({ phase: 'Running', containerStatuses: [running('skuld'), running('terminal')] }),
      options,
    );
    expect(status).toEqual({
      phase: 'running',
      containers: [
        { name: 'skuld', ready: true },
        { name: 'terminal', ready: true },
      ],
    });
  });

  it('says which container is not ready yet, and that a clone is under way', () => {
    const pending = podStatusOf(
      base({ phase: 'Pending', initContainerStatuses: [{ ...running('git-clone', false) }] }),
      options,
    );
    expect(pending).toMatchObject({
      phase: 'pending',
      message: 'cloning',
      containers: [{ name: 'skuld', ready: false, message: 'cloning' }, { name: 'terminal' }],
    });
    const notReady = podStatusOf(
      base({ phase: 'Running', containerStatuses: [running('skuld', false), running('terminal')] }),
      options,
    );
    expect(notReady).toMatchObject({
      phase: 'running',
      containers: [
        { name: 'skuld', ready: false, message: 'not ready' },
        { name: 'terminal', ready: true },
      ],
    });
  });

  it('waits for a node during the grace period, then fails quoting the scheduler', () => {
    const pod = base({
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          lastTransitionTime: new Date('2026-01-01T00:09:30Z'),
          message: '0/5 nodes are available: 2 Insufficient nvidia.com/gpu, 3 Insufficient memory.',
        },
      ],
    });
    expect(podStatusOf(pod, { ...options, unschedulableGraceMs: 60_000 })).toMatchObject({ phase: 'pending' });
    expect(podStatusOf(pod, options).message).toBe(
      'No node can run the session (not enough nvidia.com/gpu, memory); the scheduler says: "0/5 nodes are available: 2 Insufficient nvidia.com/gpu, 3 Insufficient memory". Ask for fewer resources, or ask an administrator for capacity',
    );
  });

  it('names the memory limit of an OOM-killed container and the exit of a failed setup script', () => {
    const oom = base({
      phase: 'Running',
      containerStatuses: [
        {
          ...running('skuld', false),
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
        },
      ],
    });
    expect(podStatusOf(oom, options)).toMatchObject({
      phase: 'failed',
      message: 'Container "skuld" ran out of memory (OOMKilled, limit 2Gi). Start the session with more memory',
    });
    const setup = base({
      phase: 'Pending',
      initContainerStatuses: [
        {
          ...running('setup', false),
          state: { terminated: { exitCode: 2, reason: 'Error', message: 'npm ci failed' } },
        },
      ],
    });
    expect(podStatusOf(setup, options).message).toBe(
      "A setup script failed (exit code 2: npm ci failed). Fix the template's setup scripts",
    );
  });

  it('reports a missing secret as a configuration problem and a deleting pod as stopped', () => {
    const config = base({
      phase: 'Pending',
      containerStatuses: [
        {
          ...running('skuld', false),
          state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "alice-keys" not found' } },
        },
      ],
    });
    expect(podStatusOf(config, options).message).toMatch(
      /could not be created \(CreateContainerConfigError: secret "alice-keys" not found\)/,
    );
    const deleting = { ...base({ phase: 'Running' }), metadata: { name: 'x', deletionTimestamp: new Date() } };
    expect(podStatusOf(deleting, options).phase).toBe('stopped');
  });
});
