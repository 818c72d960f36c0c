/**
 * Namespace lifecycle: every new namespace gets its `default` ServiceAccount (pods need one), and
 * a deleted namespace stays `Terminating` while its contents are deleted, then disappears.
 */
import { KubeApiError } from './api-error';
import type { ObjectStore } from './object-store';
import { RESOURCES, resourceByKey } from './resource-catalog';
import type { WorkQueue } from './work-queue';

const namespaces = resourceByKey('/namespaces')!;
const serviceAccounts = resourceByKey('/serviceaccounts')!;
const namespaced = RESOURCES.filter((r) => r.namespaced);

export function startNamespaceController(store: ObjectStore, work: WorkQueue): () => void {
  const checking = new Set<string>();

  const purge = (ns: string) => {
    for (const resource of namespaced)
      for (const object of store.list(resource, { namespace: ns })) {
        if (object.metadata.deletionTimestamp) continue;
        try {
          store.delete(resource, ns, object.metadata.name, { propagationPolicy: 'Background' });
        } catch (err) {
          if (!(err instanceof KubeApiError && err.code === 404)) throw err;
        }
      }
    finishIfEmpty(ns);
  };

  const finishIfEmpty = (ns: string) => {
    checking.delete(ns);
    const namespace = store.find(namespaces, undefined, ns);
    if (!namespace?.metadata.deletionTimestamp) return;
    if (namespaced.some((r) => store.count(r, ns) > 0)) return;
    store.mutate({ resource: namespaces, namespace: '', name: ns }, (o) => {
      o.spec = { ...(o.spec as object), finalizers: [] };
    });
  };

  return store.onEvent((event) => {
    const object = event.object;
    if (event.resource === namespaces) {
      if (event.type === 'ADDED' && !store.find(serviceAccounts, object.metadata.name, 'default'))
        store.create(serviceAccounts, object.metadata.name, {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: 'default' },
        });
      if (event.type === 'MODIFIED' && object.metadata.deletionTimestamp && !event.previous?.metadata.deletionTimestamp)
        work.schedule(() => purge(object.metadata.name));
      return;
    }
    const ns = object.metadata.namespace;
    if (event.type !== 'DELETED' || !ns || checking.has(ns)) return;
    if (store.find(namespaces, undefined, ns)?.metadata.deletionTimestamp) {
      checking.add(ns);
      work.schedule(() => finishIfEmpty(ns));
    }
  });
}
