/**
 * Reading a session's objects back from the emulator's store and validating them with
 * kubernetes-models (the SecurityPolicy, which has no model package, is checked by the
 * emulator's own schema when it is created).
 */

import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2beta2/HelmRelease';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { KubeEmulator } from '@volundr/testkit/kube/start-kube-emulator';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';

export const SESSION_KINDS = [
  'configmaps',
  'pods',
  'services',
  'secrets',
  'networkpolicies',
  'httproutes',
  'securitypolicies',
  'persistentvolumeclaims',
  'helmreleases',
] as const;

// biome-ignore lint/suspicious/noExplicitAny: kubernetes-models constructors take their own input types.
const models: Record<string, new (data: any) => { validate(): void }> = {
  Pod,
  Service,
  ConfigMap,
  Secret,
  NetworkPolicy,
  PersistentVolumeClaim,
  HTTPRoute,
};

/** Validates an object with its kubernetes-models class; HelmRelease v2 against the v2beta2 schema. */
export function validateObject(object: { apiVersion?: string; kind?: string }): void {
  if (object.kind === 'HelmRelease') {
    new HelmRelease({ ...(object as object), apiVersion: 'helm.toolkit.fluxcd.io/v2beta2' } as never).validate();
    return;
  }
  const Model = object.kind ? models[object.kind] : undefined;
  if (!Model) return;
  new Model(object).validate();
}

export interface StoredObject {
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; uid?: string };
  [key: string]: unknown;
}

/** Every object in the namespace whose labels match the selector, as `Kind/name`. */
export function objectsOf(emulator: KubeEmulator, namespace: string, labelSelector: string): StoredObject[] {
  return SESSION_KINDS.flatMap(
    (kind) => emulator.store.list(kind, { namespace, labelSelector }) as unknown as StoredObject[],
  );
}

export const describeObjects = (objects: StoredObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
