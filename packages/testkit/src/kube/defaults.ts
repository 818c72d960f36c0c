/**
 * Defaulting and admission mutations a real control plane applies on write, so objects read back
 * look like a cluster's: pod and container defaults, QoS class, the DefaultTolerationSeconds
 * tolerations, service cluster IPs, the default storage class, `Secret.stringData` folded into
 * `data`, namespace finalizers and labels. Only what a pod manager could observe is covered.
 */
import { isPlainObject, type JsonObject, type KubeObject } from './kube-object';
import { parseQuantity } from './quantity';

export interface DefaultingContext {
  allocateClusterIP(): string;
  defaultStorageClass: string | undefined;
}

const obj = (value: unknown): JsonObject => (isPlainObject(value) ? value : {});

function defaultContainer(c: JsonObject) {
  const image = typeof c.image === 'string' ? c.image : '';
  const lastSegment = image.split('/').at(-1) ?? '';
  const tag = lastSegment.includes('@') ? 'digest' : (lastSegment.split(':')[1] ?? 'latest');
  c.imagePullPolicy ??= tag === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  const resources = obj(c.resources);
  if (isPlainObject(resources.limits) && resources.requests === undefined) resources.requests = { ...resources.limits };
  else if (isPlainObject(resources.limits) && isPlainObject(resources.requests))
    for (const [k, v] of Object.entries(resources.limits)) resources.requests[k] ??= v;
  c.resources = resources;
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isPlainObject(p)) p.protocol ??= 'TCP';
}

function qosClass(containers: JsonObject[]): string {
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const r = obj(c.resources);
    const requests = obj(r.requests);
    const limits = obj(r.limits);
    if (Object.keys(requests).length || Object.keys(limits).length) any = true;
    for (const name of ['cpu', 'memory']) {
      const limit = parseQuantity(limits[name]);
      if (limit === undefined || parseQuantity(requests[name] ?? limits[name]) !== limit) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function defaultPod(pod: KubeObject) {
  const spec = obj(pod.spec);
  pod.spec = spec;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.serviceAccountName ??= typeof spec.serviceAccount === 'string' ? spec.serviceAccount : 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isPlainObject) : [];
  const inits = Array.isArray(spec.initContainers) ? spec.initContainers.filter(isPlainObject) : [];
  for (const c of [...containers, ...inits]) defaultContainer(c);
  // DefaultTolerationSeconds admission: every pod tolerates a not-ready/unreachable node for 300 s.
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'])
    if (!tolerations.some((t) => isPlainObject(t) && t.key === key && t.effect === 'NoExecute'))
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  spec.tolerations = tolerations;
  const status = obj(pod.status);
  status.phase ??= 'Pending';
  status.qosClass ??= qosClass([...containers, ...inits]);
  pod.status = status;
}

function defaultService(service: KubeObject, ctx: DefaultingContext) {
  const spec = obj(service.spec);
  service.spec = spec;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.type !== 'ExternalName') {
    spec.clusterIP ??= ctx.allocateClusterIP();
    spec.clusterIPs ??= [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    spec.internalTrafficPolicy ??= 'Cluster';
  }
  if (Array.isArray(spec.ports))
    for (const p of spec.ports)
      if (isPlainObject(p)) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
  service.status ??= { loadBalancer: {} };
}

function defaultClaim(claim: KubeObject, ctx: DefaultingContext) {
  const spec = obj(claim.spec);
  claim.spec = spec;
  spec.volumeMode ??= 'Filesystem';
  if (spec.storageClassName === undefined && ctx.defaultStorageClass) spec.storageClassName = ctx.defaultStorageClass;
  const status = obj(claim.status);
  status.phase ??= 'Pending';
  claim.status = status;
}

function defaultSecret(secret: KubeObject) {
  secret.type ??= 'Opaque';
  if (isPlainObject(secret.stringData)) {
    const data = obj(secret.data);
    for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(String(v)).toString('base64');
    secret.data = data;
    delete secret.stringData;
  }
}

function defaultNamespace(ns: KubeObject) {
  const spec = obj(ns.spec);
  spec.finalizers ??= ['kubernetes'];
  ns.spec = spec;
  const status = obj(ns.status);
  status.phase ??= 'Active';
  ns.status = status;
  const name = ns.metadata.name;
  if (name) ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': name };
}

/** Mutates `object` in place; callers pass a private copy. */
export function applyDefaults(apiVersionKind: string, object: KubeObject, ctx: DefaultingContext): void {
  if (apiVersionKind === 'v1/Pod') defaultPod(object);
  else if (apiVersionKind === 'v1/Service') defaultService(object, ctx);
  else if (apiVersionKind === 'v1/PersistentVolumeClaim') defaultClaim(object, ctx);
  else if (apiVersionKind === 'v1/Secret') defaultSecret(object);
  else if (apiVersionKind === 'v1/Namespace') defaultNamespace(object);
}
