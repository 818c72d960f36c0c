/** Waiting for an object to reach a state, on an in-process watch (no polling, no sleeps). */
import type { StoredObject } from './kube-object';
import type { StoreAccess } from './store-access';

export function waitForObject(
  store: StoreAccess,
  resource: string,
  namespace: string | undefined,
  name: string,
  predicate: (object: StoredObject | undefined) => boolean,
  timeoutMs = 5_000,
): Promise<StoredObject | undefined> {
  const current = store.get(resource, namespace, name);
  if (predicate(current)) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    let last = current;
    const watch = store.watch(
      resource,
      {
        ...(namespace !== undefined ? { namespace } : {}),
        fieldSelector: `metadata.name=${name}`,
        resourceVersion: store.resourceVersion,
      },
      (type, object) => {
        last = type === 'DELETED' ? undefined : structuredClone(object);
        if (!predicate(last)) return;
        clearTimeout(timer);
        watch.stop();
        resolve(last);
      },
    );
    const timer = setTimeout(() => {
      watch.stop();
      reject(
        new Error(
          `kube emulator: ${resource} ${namespace ? `${namespace}/` : ''}${name} did not reach the expected state within ${timeoutMs} ms; last seen: ${last ? JSON.stringify({ metadata: last.metadata, status: last.status }) : 'absent'}`,
        ),
      );
    }, timeoutMs);
  });
}
