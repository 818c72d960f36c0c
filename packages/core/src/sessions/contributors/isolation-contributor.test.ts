import { describe, expect, it } from 'vitest';
import { aSession } from '../../testing/session-builder';
import { aSessionContext } from '../../testing/session-context-builder';
import { isolationContributor, labelValue } from './isolation-contributor';

describe('Isolation contributor', () => {
  it('labels the pod with valid label values and keeps exact ids in annotations', async () => {
    const session = aSession().withId('s-1').with({ ownerId: 'alice@example.test' }).build();
    const { values, podSpec } = await isolationContributor().contribute(aSessionContext(session));
    expect(values.isolation).toEqual({ networkPolicy: 'session', runAsNonRoot: true });
    expect(podSpec.labels).toMatchObject({ 'volundr.io/session-id': 's-1', 'volundr.io/owner': 'alice-example.test' });
    expect(podSpec.annotations).toMatchObject({ 'volundr.io/owner': 'alice@example.test' });
  });

  it('can leave the network open', async () => {
    const { values } = await isolationContributor({ networkPolicy: false }).contribute(aSessionContext());
    expect(values.isolation?.networkPolicy).toBe('none');
  });

  it('makes any id a valid label value', () => {
    expect(labelValue('-x@y-')).toBe('x-y');
    expect(labelValue('a'.repeat(80))).toHaveLength(63);
    expect(labelValue('___')).toBe('');
  });
});
