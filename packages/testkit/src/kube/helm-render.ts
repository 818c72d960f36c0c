/**
 * What the simulated Flux "installs" for a HelmRelease. There is no Helm here, so a release is
 * rendered by a function: the default below, or one a test passes (`flux.render`) that builds
 * the real chart's objects from the values.
 *
 * The default renders one Pod named after the release, in the target namespace:
 * - labels: `values.podLabels` (object of strings) + `app.kubernetes.io/instance: <release>`;
 * - containers: `values.containers` when it is an array (taken as written), otherwise one
 *   container `session` with image `values.image` (a string, or `{repository, tag}`), default
 *   `ghcr.io/volundr/session:latest`;
 * - `values.serviceAccountName`, `values.nodeSelector`, `values.volumes` when given;
 * and, when `values.service.port` is a number, a Service `<release>` selecting the pod on it.
 */
import { isPlainObject, type JsonObject, type KubeObject } from './kube-object';

export interface HelmReleaseRender {
  /** The HelmRelease object's name and namespace. */
  name: string;
  namespace: string;
  /** The Helm release name and the namespace objects go to. */
  releaseName: string;
  targetNamespace: string;
  chart: { name: string; version: string };
  /** Merged values (valuesFrom in order, then spec.values). */
  values: JsonObject;
  /** The Helm revision being installed (1 on install). */
  revision: number;
}

export type HelmRenderer = (release: HelmReleaseRender) => KubeObject[];

function imageOf(values: JsonObject): string {
  const image = values.image;
  if (typeof image === 'string' && image) return image;
  if (isPlainObject(image) && typeof image.repository === 'string')
    return `${image.repository}:${typeof image.tag === 'string' ? image.tag : 'latest'}`;
  return 'ghcr.io/volundr/session:latest';
}

export const defaultHelmRenderer: HelmRenderer = (release) => {
  const { values } = release;
  const podLabels = isPlainObject(values.podLabels) ? (values.podLabels as Record<string, string>) : {};
  const labels = { ...podLabels, 'app.kubernetes.io/instance': release.releaseName };
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: release.releaseName, namespace: release.targetNamespace, labels },
    spec: {
      containers: Array.isArray(values.containers) ? values.containers : [{ name: 'session', image: imageOf(values) }],
      ...(typeof values.serviceAccountName === 'string' ? { serviceAccountName: values.serviceAccountName } : {}),
      ...(isPlainObject(values.nodeSelector) ? { nodeSelector: values.nodeSelector } : {}),
      ...(Array.isArray(values.volumes) ? { volumes: values.volumes } : {}),
    },
  };
  const service = isPlainObject(values.service) ? values.service : undefined;
  if (typeof service?.port !== 'number') return [pod];
  return [
    pod,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: release.releaseName, namespace: release.targetNamespace, labels },
      spec: {
        selector: { 'app.kubernetes.io/instance': release.releaseName },
        ports: [{ name: 'http', port: service.port }],
      },
    },
  ];
};
