/**
 * core/v1 Events, as the scheduler, kubelet and controllers record them (`kubectl describe` and
 * pod managers read them for the human-readable reason of a failure).
 */
import { randomBytes } from 'node:crypto';
import { KubeApiError } from './api-error';
import { kubeTimestamp, type StoredObject } from './kube-object';
import type { ObjectStore } from './object-store';
import { resourceByKey } from './resource-catalog';

const events = resourceByKey('/events')!;

export class EventRecorder {
  constructor(
    private readonly store: ObjectStore,
    private readonly enabled: () => boolean,
  ) {}

  record(
    object: StoredObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
    host?: string,
  ): void {
    const namespace = object.metadata.namespace ?? 'default';
    if (!this.enabled()) return;
    const now = kubeTimestamp();
    try {
      this.store.create(events, namespace, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${object.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          namespace: object.metadata.namespace,
          name: object.metadata.name,
          uid: object.metadata.uid,
          resourceVersion: object.metadata.resourceVersion,
        },
        reason,
        message,
        type,
        source: { component, ...(host ? { host } : {}) },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        reportingComponent: component,
        reportingInstance: host ?? '',
      });
    } catch (err) {
      // The namespace may be terminating or gone: a real recorder drops the event too.
      if (!(err instanceof KubeApiError)) throw err;
    }
  }
}
