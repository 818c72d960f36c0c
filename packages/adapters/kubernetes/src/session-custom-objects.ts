/**
 * A custom object that belongs to one session (a SecretProviderClass, an InfisicalSecret):
 * written so a restart with other settings replaces it, and removed by the session's labels.
 */
import type { CustomObjectsApi } from '@kubernetes/client-node';
import { kubeFailure } from './kube-calls';
import { createIfMissing, ignoreNotFound, isConflict } from './kube-errors';
import { LABELS, sessionKey } from './session-names';

export interface CustomResource {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

/** Creates `body` (named in its metadata), or replaces the existing object with it. */
export async function writeSessionObject(
  custom: CustomObjectsApi,
  resource: CustomResource,
  namespace: string,
  body: { metadata: { name: string } & Record<string, unknown> } & Record<string, unknown>,
): Promise<void> {
  const ref = { group: resource.group, version: resource.version, plural: resource.plural, namespace };
  const name = body.metadata.name;
  try {
    const created = await createIfMissing(() => custom.createNamespacedCustomObject({ ...ref, body }));
    if (created !== 'exists') return;
    const current = (await custom.getNamespacedCustomObject({ ...ref, name })) as {
      metadata: { resourceVersion: string };
    };
    await custom.replaceNamespacedCustomObject({
      ...ref,
      name,
      body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata.resourceVersion } },
    });
  } catch (error) {
    if (!isConflict(error)) throw kubeFailure(`write ${resource.kind} ${namespace}/${name}`, error);
  }
}

/** Deletes the session's objects of `resource` carrying `component`, in one namespace or all. */
export async function deleteSessionObjects(
  custom: CustomObjectsApi,
  resource: CustomResource,
  where: { sessionId: string; component: string; namespace: string; allNamespaces: boolean },
): Promise<void> {
  const ref = { group: resource.group, version: resource.version, plural: resource.plural };
  const labelSelector = `${LABELS.session}=${sessionKey(where.sessionId)},${LABELS.component}=${where.component}`;
  const list = (await (where.allNamespaces
    ? custom.listCustomObjectForAllNamespaces({ ...ref, labelSelector })
    : custom.listNamespacedCustomObject({ ...ref, namespace: where.namespace, labelSelector })
  ).catch((error) => {
    throw kubeFailure(`list the ${resource.kind}s of session ${where.sessionId}`, error);
  })) as { items?: { metadata?: { name?: string; namespace?: string } }[] };
  for (const item of list.items ?? []) {
    const name = item.metadata?.name;
    const namespace = item.metadata?.namespace ?? where.namespace;
    if (name) await ignoreNotFound(() => custom.deleteNamespacedCustomObject({ ...ref, namespace, name }));
  }
}
