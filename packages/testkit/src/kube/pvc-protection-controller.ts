/**
 * Storage object in-use protection, as kube-controller-manager does it: every claim carries the
 * `kubernetes.io/pvc-protection` finalizer, so deleting a claim a pod still uses leaves it
 * Terminating until no running pod mounts it; then the finalizer is removed and the claim goes.
 */
import { isPlainObject, type StoredObject } from './kube-object';
import type { ObjectStore } from './object-store';
import { resourceByKey } from './resource-catalog';
import type { WorkQueue } from './work-queue';

export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
const claims = resourceByKey('/persistentvolumeclaims')!;
const pods = resourceByKey('/pods')!;

function claimNames(pod: StoredObject): string[] {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  return volumes
    .filter((v) => isPlainObject(v) && isPlainObject(v.persistentVolumeClaim))
    .map((v) => String((v.persistentVolumeClaim as { claimName?: unknown }).claimName));
}

export function startPvcProtectionController(store: ObjectStore, work: WorkQueue): () => void {
  const release = (namespace: string, name: string) => {
    const claim = store.find(claims, namespace, name);
    if (!claim?.metadata.deletionTimestamp || !claim.metadata.finalizers?.includes(PVC_PROTECTION)) return;
    const inUse = store.list(pods, { namespace }).some((pod) => {
      const phase = isPlainObject(pod.status) ? pod.status.phase : undefined;
      return phase !== 'Succeeded' && phase !== 'Failed' && claimNames(pod).includes(name);
    });
    if (inUse) return;
    store.mutate({ resource: claims, namespace, name }, (c) => {
      c.metadata.finalizers = (c.metadata.finalizers ?? []).filter((f) => f !== PVC_PROTECTION);
      if (c.metadata.finalizers.length === 0) delete c.metadata.finalizers;
    });
  };

  return store.onEvent((event) => {
    const o = event.object;
    const ns = o.metadata.namespace ?? '';
    if (event.resource === claims && event.type === 'ADDED' && !o.metadata.finalizers?.includes(PVC_PROTECTION))
      store.mutate({ resource: claims, namespace: ns, name: o.metadata.name }, (c) => {
        c.metadata.finalizers = [...(c.metadata.finalizers ?? []), PVC_PROTECTION];
      });
    if (event.resource === claims && o.metadata.deletionTimestamp && !event.previous?.metadata.deletionTimestamp)
      work.schedule(() => release(ns, o.metadata.name));
    if (
      event.resource === pods &&
      (event.type === 'DELETED' ||
        (isPlainObject(o.status) && ['Succeeded', 'Failed'].includes(String(o.status.phase))))
    )
      for (const name of claimNames(o))
        if (store.find(claims, ns, name)?.metadata.deletionTimestamp) work.schedule(() => release(ns, name));
  });
}
