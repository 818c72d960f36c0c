/**
 * The garbage collector: deletes objects whose owners (by uid) are gone, drops dead references
 * from objects that still have a live owner, and completes Foreground (dependents first, then the
 * owner) and Orphan (dependents released, then the owner) deletions. It runs as queued work, as
 * the real collector runs asynchronously after the owner's DELETE returns.
 */
import { KubeApiError } from './api-error';
import type { StoredObject } from './kube-object';
import type { ObjectRef, ObjectStore } from './object-store';
import type { WorkQueue } from './work-queue';

const ignoreNotFound = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof KubeApiError && err.code === 404)) throw err;
  }
};

export function startGarbageCollector(store: ObjectStore, work: WorkQueue): () => void {
  const ownerAlive = (dependent: StoredObject, uid: string) => {
    const owner = store.findByUid(uid);
    if (!owner) return false;
    return !owner.resource.namespaced || owner.namespace === (dependent.metadata.namespace ?? '');
  };

  const collect = (ref: ObjectRef) => {
    const object = store.find(ref.resource, ref.namespace, ref.name);
    if (!object || object.metadata.deletionTimestamp) return;
    const refs = object.metadata.ownerReferences ?? [];
    const alive = refs.filter((r) => ownerAlive(object, r.uid));
    if (alive.length === refs.length) return;
    if (alive.length === 0)
      ignoreNotFound(() => store.delete(ref.resource, ref.namespace, ref.name, { propagationPolicy: 'Background' }));
    else store.mutate(ref, (o) => (o.metadata.ownerReferences = alive));
  };

  const removeFinalizer = (ref: ObjectRef, finalizer: string) =>
    store.mutate(ref, (o) => {
      o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      if (o.metadata.finalizers.length === 0) delete o.metadata.finalizers;
    });

  const foreground = (owner: StoredObject) => {
    const uid = owner.metadata.uid;
    const dependents = store.dependentsOf(uid);
    for (const dep of dependents)
      ignoreNotFound(() => store.delete(dep.resource, dep.namespace, dep.name, { propagationPolicy: 'Foreground' }));
    finishForeground(uid);
  };

  const finishForeground = (uid: string) => {
    const ref = store.findByUid(uid);
    if (!ref || store.dependentsOf(uid).length > 0) return;
    const owner = store.find(ref.resource, ref.namespace, ref.name);
    if (owner?.metadata.finalizers?.includes('foregroundDeletion')) removeFinalizer(ref, 'foregroundDeletion');
  };

  const orphan = (owner: StoredObject) => {
    const uid = owner.metadata.uid;
    for (const dep of store.dependentsOf(uid))
      store.mutate(dep, (o) => {
        o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        if (o.metadata.ownerReferences.length === 0) delete o.metadata.ownerReferences;
      });
    const ref = store.findByUid(uid);
    if (ref) removeFinalizer(ref, 'orphan');
  };

  return store.onEvent((event) => {
    const object = event.object;
    const uid = object.metadata.uid;
    if (event.type === 'DELETED') {
      for (const dep of store.dependentsOf(uid)) work.schedule(() => collect(dep));
      for (const owner of object.metadata.ownerReferences ?? []) work.schedule(() => finishForeground(owner.uid));
      return;
    }
    const refs = object.metadata.ownerReferences ?? [];
    if (refs.some((r) => !ownerAlive(object, r.uid))) {
      const ref = { resource: event.resource, namespace: object.metadata.namespace ?? '', name: object.metadata.name };
      work.schedule(() => collect(ref));
    }
    if (object.metadata.deletionTimestamp && !event.previous?.metadata.deletionTimestamp) {
      const finalizers = object.metadata.finalizers ?? [];
      if (finalizers.includes('foregroundDeletion')) work.schedule(() => foreground(object));
      if (finalizers.includes('orphan')) work.schedule(() => orphan(object));
    }
  });
}
