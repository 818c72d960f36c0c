/**
 * The simulated Flux: the source-controller marks HelmRepository / GitRepository / OCIRepository
 * Ready with an artifact, and the helm-controller installs and upgrades HelmReleases by rendering
 * them (helm-render.ts) into real objects in the store, waits for their pods to be ready (unless
 * the release disables waiting), reports Ready/Released the way helm-controller v2 does, and
 * uninstalls through its `finalizers.fluxcd.io` finalizer when the release is deleted.
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { KubeApiError } from './api-error';
import type { EventRecorder } from './event-recorder';
import { FailureRules, type InjectedFailure, type ObjectMatch } from './failure-rules';
import type { HelmRenderer } from './helm-render';
import { isPlainObject, type JsonObject, type KubeObject, kubeTimestamp, type StoredObject } from './kube-object';
import { selectorFromLabels } from './label-selector';
import type { ObjectRef, ObjectStore } from './object-store';
import { mergePatch } from './patch';
import { carryTransitionTimes, podFailureReason, podReady } from './pod-status';
import { RESOURCES, type ResourceType, resourceByKey, resourceByKind } from './resource-catalog';
import type { WorkQueue } from './work-queue';

export type ReleaseFailure = {
  /** Which Helm action fails: a rule for `InstallFailed` does not affect upgrades and vice versa. */
  type: 'InstallFailed' | 'UpgradeFailed';
  message?: string;
};

export interface FluxOptions {
  render: HelmRenderer;
  /** A release whose chart source does not exist stays not Ready (ArtifactFailed). Default true. */
  requireSource: boolean;
}

const releases = resourceByKey('helm.toolkit.fluxcd.io/helmreleases')!;
const pods = resourceByKey('/pods')!;
const sources = ['helmrepositories', 'gitrepositories', 'ocirepositories'].map(
  (p) => resourceByKey(`source.toolkit.fluxcd.io/${p}`)!,
);
const FINALIZER = 'finalizers.fluxcd.io';
const NAME_LABEL = 'helm.toolkit.fluxcd.io/name';
const NAMESPACE_LABEL = 'helm.toolkit.fluxcd.io/namespace';
const namespaced = RESOURCES.filter((r) => r.namespaced);

type Action = 'install' | 'upgrade';

interface Wait {
  action: Action;
  revision: number;
  chart: { name: string; version: string };
  releaseName: string;
  targetNamespace: string;
  digest: string;
  pods: string[];
}

const obj = (value: unknown): JsonObject => (isPlainObject(value) ? value : {});
const title = (action: Action) => (action === 'install' ? 'Install' : 'Upgrade');

function condition(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  generation: number,
) {
  return { type, status, observedGeneration: generation, lastTransitionTime: kubeTimestamp(), reason, message };
}

export class FluxController {
  readonly rules: FailureRules<ReleaseFailure>;
  private readonly queued = new Set<string>();
  private readonly waits = new Map<string, Wait>();
  private readonly waitingOnSource = new Map<string, Set<string>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly work: WorkQueue,
    private readonly events: EventRecorder,
    private readonly options: FluxOptions,
    private readonly delay: () => number,
    onRulesChanged: () => void,
  ) {
    this.rules = new FailureRules(onRulesChanged);
  }

  listen(): () => void {
    return this.store.onEvent((event) => {
      const o = event.object;
      if (event.resource === releases) {
        if (event.type === 'DELETED') {
          this.waits.delete(o.metadata.uid);
          return;
        }
        if (o.metadata.deletionTimestamp) {
          if (o.metadata.finalizers?.includes(FINALIZER)) this.enqueue(o, 'uninstall', () => this.uninstall(o));
          return;
        }
        const status = obj(o.status);
        if (status.lastAttemptedGeneration !== o.metadata.generation)
          this.enqueue(o, 'reconcile', () => this.reconcile(o, false));
        return;
      }
      if (sources.includes(event.resource)) {
        if (event.type !== 'DELETED' && obj(o.status).observedGeneration !== o.metadata.generation)
          this.work.schedule(() => this.markSourceReady(event.resource, o), this.delay());
        if (event.type === 'ADDED') this.wakeReleasesWaitingOn(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
        return;
      }
      if (event.resource === pods && event.type !== 'ADDED') {
        const labels = o.metadata.labels ?? {};
        const name = labels[NAME_LABEL];
        const ns = labels[NAMESPACE_LABEL];
        if (!name || !ns) return;
        const release = this.store.find(releases, ns, name);
        if (release && this.waits.has(release.metadata.uid))
          this.enqueue(release, 'wait', () => this.evaluateWait(release), 0);
      }
    });
  }

  /** Reconciles every release again (after failure rules changed). */
  resync(): void {
    for (const release of this.store.list(releases))
      if (!release.metadata.deletionTimestamp) this.enqueue(release, 'reconcile', () => this.reconcile(release, true));
  }

  failReleases(match: ObjectMatch, failure: ReleaseFailure): InjectedFailure {
    return this.rules.add(match, failure);
  }

  /** At most one queued task of each kind per release: bursts of events collapse into one pass. */
  private enqueue(
    release: StoredObject,
    kind: 'reconcile' | 'wait' | 'uninstall',
    task: () => void,
    delay = this.delay(),
  ) {
    const key = `${release.metadata.uid}:${kind}`;
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.work.schedule(() => {
      this.queued.delete(key);
      task();
    }, delay);
  }

  private refOf(release: StoredObject): ObjectRef {
    return { resource: releases, namespace: release.metadata.namespace ?? '', name: release.metadata.name };
  }

  private fresh(release: StoredObject): StoredObject | undefined {
    const current = this.store.find(releases, release.metadata.namespace, release.metadata.name);
    return current && current.metadata.uid === release.metadata.uid ? current : undefined;
  }

  private markSourceReady(resource: ResourceType, source: StoredObject) {
    const current = this.store.find(resource, source.metadata.namespace, source.metadata.name);
    if (!current || current.metadata.uid !== source.metadata.uid || current.metadata.deletionTimestamp) return;
    const digest = `sha256:${createHash('sha256')
      .update(JSON.stringify(current.spec ?? {}))
      .digest('hex')}`;
    const url = `http://source-controller.flux-system.svc.cluster.local./${resource.singular}/${current.metadata.namespace}/${current.metadata.name}/index.yaml`;
    const generation = current.metadata.generation ?? 1;
    this.store.mutate({ resource, namespace: current.metadata.namespace ?? '', name: current.metadata.name }, (s) => {
      s.status = {
        observedGeneration: generation,
        conditions: carryTransitionTimes(obj(s.status).conditions, [
          condition('Ready', 'True', 'Succeeded', `stored artifact: revision '${digest}'`, generation),
        ]),
        artifact: {
          path: url.split('.local./')[1],
          url,
          revision: digest,
          digest,
          lastUpdateTime: kubeTimestamp(),
          size: 1024,
        },
        url,
      };
    });
  }

  private wakeReleasesWaitingOn(sourceKey: string) {
    const waiting = this.waitingOnSource.get(sourceKey);
    if (!waiting) return;
    this.waitingOnSource.delete(sourceKey);
    for (const key of waiting) {
      const [namespace, name] = key.split('/') as [string, string];
      const release = this.store.find(releases, namespace, name);
      if (release) this.enqueue(release, 'reconcile', () => this.reconcile(release, true));
    }
  }

  private chartOf(release: StoredObject): {
    name: string;
    version: string;
    source: { kind: string; name: string; namespace: string };
  } {
    const spec = obj(release.spec);
    const ns = release.metadata.namespace ?? '';
    if (isPlainObject(spec.chartRef)) {
      const ref = spec.chartRef;
      const source = {
        kind: String(ref.kind),
        name: String(ref.name),
        namespace: typeof ref.namespace === 'string' ? ref.namespace : ns,
      };
      const oci = this.store.find(
        resourceByKey('source.toolkit.fluxcd.io/ocirepositories')!,
        source.namespace,
        source.name,
      );
      const tag = obj(obj(oci?.spec).ref).tag;
      return { name: source.name, version: typeof tag === 'string' ? tag.replace(/^v/, '') : '0.1.0', source };
    }
    const chartSpec = obj(obj(spec.chart).spec);
    const sourceRef = obj(chartSpec.sourceRef);
    const version =
      typeof chartSpec.version === 'string' && /^v?\d+\.\d+\.\d+/.test(chartSpec.version)
        ? chartSpec.version.replace(/^v/, '')
        : '0.1.0';
    return {
      name: String(chartSpec.chart ?? release.metadata.name),
      version,
      source: {
        kind: String(sourceRef.kind ?? 'HelmRepository'),
        name: String(sourceRef.name ?? ''),
        namespace: typeof sourceRef.namespace === 'string' ? sourceRef.namespace : ns,
      },
    };
  }

  /** valuesFrom (ConfigMaps / Secrets, in order) merged, then spec.values on top. */
  private valuesOf(release: StoredObject): JsonObject {
    const spec = obj(release.spec);
    const ns = release.metadata.namespace ?? '';
    let values: JsonObject = {};
    for (const ref of Array.isArray(spec.valuesFrom) ? spec.valuesFrom.filter(isPlainObject) : []) {
      const kind = String(ref.kind);
      const name = String(ref.name);
      const key = typeof ref.valuesKey === 'string' ? ref.valuesKey : 'values.yaml';
      const resource = kind === 'Secret' ? resourceByKey('/secrets')! : resourceByKey('/configmaps')!;
      const source = this.store.find(resource, ns, name);
      const raw = source ? obj(source.data)[key] : undefined;
      if (raw === undefined) {
        if (ref.optional === true) continue;
        throw new Error(`could not resolve ${kind} chart values reference '${ns}/${name}' with key '${key}'`);
      }
      const text = kind === 'Secret' ? Buffer.from(String(raw), 'base64').toString('utf8') : String(raw);
      const parsed: unknown = parseYaml(text);
      if (!isPlainObject(parsed))
        throw new Error(`unable to read values from key '${key}' in ${kind} '${ns}/${name}': not a YAML map`);
      values = mergePatch(values, parsed) as JsonObject;
    }
    return mergePatch(values, obj(spec.values)) as JsonObject;
  }

  /** `force`: run even if this generation was attempted already (a source appeared, rules changed). */
  private reconcile(snapshot: StoredObject, force: boolean) {
    let release = this.fresh(snapshot);
    if (!release || release.metadata.deletionTimestamp) return;
    if (!force && obj(release.status).lastAttemptedGeneration === release.metadata.generation) return;
    const spec = obj(release.spec);
    if (spec.suspend === true) return;
    const ref = this.refOf(release);
    if (!release.metadata.finalizers?.includes(FINALIZER))
      release =
        this.store.mutate(ref, (r) => (r.metadata.finalizers = [...(r.metadata.finalizers ?? []), FINALIZER])) ??
        release;
    const generation = release.metadata.generation ?? 1;
    const status = obj(release.status);
    const history = Array.isArray(status.history) ? status.history.filter(isPlainObject) : [];
    const action: Action = history.some((h) => h.status === 'deployed' || h.status === 'superseded')
      ? 'upgrade'
      : 'install';
    const revision = (typeof history[0]?.version === 'number' ? history[0].version : 0) + 1;
    const ns = release.metadata.namespace ?? '';
    const targetNamespace = typeof spec.targetNamespace === 'string' ? spec.targetNamespace : ns;
    const releaseName =
      typeof spec.releaseName === 'string'
        ? spec.releaseName
        : spec.targetNamespace
          ? `${targetNamespace}-${release.metadata.name}`
          : release.metadata.name;
    const chart = this.chartOf(release);
    const helmChart = `${chart.source.namespace}/${ns}-${release.metadata.name}`;

    this.writeStatus(ref, (s) => ({
      ...s,
      lastAttemptedGeneration: generation,
      helmChart,
      conditions: carryTransitionTimes(s.conditions, [
        condition(
          'Reconciling',
          'True',
          'Progressing',
          `Running '${action}' action with timeout of ${String(spec.timeout ?? '5m0s')}`,
          generation,
        ),
        condition(
          'Ready',
          'Unknown',
          'Progressing',
          `Running '${action}' action with timeout of ${String(spec.timeout ?? '5m0s')}`,
          generation,
        ),
      ]),
    }));

    if (this.options.requireSource) {
      const sourceResource = resourceByKind(
        chart.source.kind === 'OCIRepository' ? 'source.toolkit.fluxcd.io/v1beta2' : 'source.toolkit.fluxcd.io/v1',
        chart.source.kind,
      );
      const source = sourceResource
        ? this.store.find(sourceResource, chart.source.namespace, chart.source.name)
        : undefined;
      if (!source) {
        const key = `${chart.source.kind}/${chart.source.namespace}/${chart.source.name}`;
        const waiting = this.waitingOnSource.get(key) ?? new Set<string>();
        waiting.add(`${ns}/${release.metadata.name}`);
        this.waitingOnSource.set(key, waiting);
        return this.fail(
          ref,
          generation,
          'ArtifactFailed',
          `HelmChart '${helmChart}' is not ready: ${chart.source.kind} '${chart.source.namespace}/${chart.source.name}' not found`,
          false,
        );
      }
    }

    let values: JsonObject;
    try {
      values = this.valuesOf(release);
    } catch (err) {
      return this.fail(ref, generation, 'InitFailed', err instanceof Error ? err.message : String(err), false);
    }
    const digest = `sha256:${createHash('sha256').update(JSON.stringify(values)).digest('hex')}`;
    const failed = (message: string) => {
      const reason = `${title(action)}Failed`;
      this.fail(
        ref,
        generation,
        reason,
        `Helm ${action} failed for release ${targetNamespace}/${releaseName} with chart ${chart.name}@${chart.version}: ${message}`,
        true,
        {
          action,
          revision,
          chart,
          releaseName,
          targetNamespace,
          digest,
          pods: [],
        },
      );
    };
    const injected = this.rules.find(release);
    if (injected && injected.type === `${title(action)}Failed`)
      return failed(injected.message ?? 'context deadline exceeded');

    let rendered: KubeObject[];
    try {
      rendered = this.options.render({
        name: release.metadata.name,
        namespace: ns,
        releaseName,
        targetNamespace,
        chart,
        values,
        revision,
      });
    } catch (err) {
      return failed(`template: ${err instanceof Error ? err.message : String(err)}`);
    }
    let podKeys: string[];
    try {
      podKeys = this.applyManifests(release, rendered, releaseName, targetNamespace, action, spec);
    } catch (err) {
      if (err instanceof KubeApiError || err instanceof ManifestError) return failed(err.message);
      throw err;
    }
    const wait: Wait = { action, revision, chart, releaseName, targetNamespace, digest, pods: podKeys };
    const disableWait = obj(spec[action]).disableWait === true;
    if (disableWait || podKeys.length === 0) return this.succeed(ref, wait);
    this.waits.set(release.metadata.uid, wait);
    this.evaluateWait(release);
  }

  /** Creates / updates the rendered objects (labelled as Helm's), deletes ones no longer rendered. */
  private applyManifests(
    release: StoredObject,
    rendered: KubeObject[],
    releaseName: string,
    targetNamespace: string,
    action: Action,
    spec: JsonObject,
  ): string[] {
    const ownLabels = { [NAME_LABEL]: release.metadata.name, [NAMESPACE_LABEL]: release.metadata.namespace ?? '' };
    const planned = rendered.map((manifest) => {
      if (!isPlainObject(manifest) || typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string')
        throw new ManifestError(
          'unable to build kubernetes objects from release manifest: an object has no apiVersion/kind',
        );
      const resource = resourceByKind(manifest.apiVersion, manifest.kind);
      if (!resource)
        throw new ManifestError(
          `unable to build kubernetes objects from release manifest: resource mapping not found for name: "${String(manifest.metadata?.name)}" namespace: "" from "": no matches for kind "${manifest.kind}" in version "${manifest.apiVersion}"`,
        );
      const object = structuredClone(manifest);
      object.metadata = {
        ...object.metadata,
        ...(resource.namespaced ? { namespace: object.metadata?.namespace ?? targetNamespace } : {}),
        labels: { ...object.metadata?.labels, ...ownLabels, 'app.kubernetes.io/managed-by': 'Helm' },
        annotations: {
          ...object.metadata?.annotations,
          'meta.helm.sh/release-name': releaseName,
          'meta.helm.sh/release-namespace': targetNamespace,
        },
      };
      return { resource, object, namespace: object.metadata.namespace };
    });
    // Helm validates the whole manifest before changing anything.
    for (const { resource, object, namespace } of planned) {
      const existing = this.store.find(resource, namespace, String(object.metadata.name));
      if (!existing) {
        this.store.create(resource, namespace, object, { dryRun: true });
        continue;
      }
      const owner = existing.metadata.annotations?.['meta.helm.sh/release-name'];
      if (owner !== releaseName)
        throw new ManifestError(
          `rendered manifests contain a resource that already exists. Unable to continue with ${action}: ${resource.kind} "${existing.metadata.name}" in namespace "${namespace ?? ''}" exists and cannot be imported into the current release: invalid ownership metadata; annotation validation error: key "meta.helm.sh/release-name" must equal "${releaseName}": current value is "${owner ?? ''}"`,
        );
    }
    const force = obj(spec.upgrade).force === true;
    const kept = new Set<string>();
    const podKeys: string[] = [];
    for (const { resource, object, namespace } of planned) {
      const name = String(object.metadata.name);
      kept.add(`${resource.key}/${namespace ?? ''}/${name}`);
      if (resource === pods) podKeys.push(`${namespace}/${name}`);
      // Helm patches with a three-way merge (previous manifest, new manifest, live object): fields
      // set by the cluster (a pod's nodeName, defaults) survive; fields dropped from the chart go.
      const apply = () =>
        this.store.patch(resource, namespace, name, 'apply', object, { fieldManager: 'helm-controller' });
      try {
        apply();
      } catch (err) {
        if (!(force && err instanceof KubeApiError && err.code === 422 && this.store.find(resource, namespace, name)))
          throw err;
        // `upgrade.force`: Helm deletes and recreates what it cannot patch.
        this.store.delete(resource, namespace, name);
        apply();
      }
    }
    const selector = selectorFromLabels(ownLabels);
    for (const resource of namespaced)
      for (const stale of this.store.list(resource, { namespace: targetNamespace, labelSelector: selector }))
        if (
          !kept.has(`${resource.key}/${stale.metadata.namespace ?? ''}/${stale.metadata.name}`) &&
          !stale.metadata.deletionTimestamp
        )
          this.store.delete(resource, stale.metadata.namespace, stale.metadata.name);
    return podKeys;
  }

  private evaluateWait(snapshot: StoredObject) {
    const release = this.fresh(snapshot);
    const wait = release && this.waits.get(release.metadata.uid);
    if (!release || !wait) return;
    const ref = this.refOf(release);
    const states = wait.pods.map((key) => {
      const [namespace, name] = key.split('/') as [string, string];
      return this.store.find(pods, namespace, name);
    });
    const broken = states.find((p) => p && podFailureReason(p.status));
    if (broken) {
      this.waits.delete(release.metadata.uid);
      const generation = release.metadata.generation ?? 1;
      return this.fail(
        ref,
        generation,
        `${title(wait.action)}Failed`,
        `Helm ${wait.action} failed for release ${wait.targetNamespace}/${wait.releaseName} with chart ${wait.chart.name}@${wait.chart.version}: context deadline exceeded (pod ${broken.metadata.name}: ${podFailureReason(broken.status)})`,
        true,
        wait,
      );
    }
    if (states.every((p) => p && podReady(p.status))) {
      this.waits.delete(release.metadata.uid);
      this.succeed(ref, wait);
    }
  }

  private historyEntry(wait: Wait, status: string) {
    const now = kubeTimestamp();
    return {
      name: wait.releaseName,
      namespace: wait.targetNamespace,
      version: wait.revision,
      status,
      chartName: wait.chart.name,
      chartVersion: wait.chart.version,
      appVersion: wait.chart.version,
      configDigest: wait.digest,
      digest: `sha256:${createHash('sha256').update(`${wait.releaseName}.v${wait.revision}`).digest('hex')}`,
      firstDeployed: now,
      lastDeployed: now,
    };
  }

  private writeStatus(ref: ObjectRef, change: (status: JsonObject) => JsonObject) {
    return this.store.mutate(ref, (r) => {
      r.status = change(obj(r.status));
    });
  }

  private succeed(ref: ObjectRef, wait: Wait) {
    const release = this.store.find(ref.resource, ref.namespace, ref.name);
    if (!release) return;
    const generation = release.metadata.generation ?? 1;
    const reason = `${title(wait.action)}Succeeded`;
    const message = `Helm ${wait.action} succeeded for release ${wait.targetNamespace}/${wait.releaseName}.v${wait.revision} with chart ${wait.chart.name}@${wait.chart.version}`;
    const updated = this.writeStatus(ref, (s) => {
      const previous = (Array.isArray(s.history) ? s.history.filter(isPlainObject) : []).map((h) =>
        h.status === 'deployed' ? { ...h, status: 'superseded' } : h,
      );
      return {
        ...s,
        observedGeneration: generation,
        lastAttemptedGeneration: generation,
        lastAttemptedRevision: wait.chart.version,
        lastAttemptedConfigDigest: wait.digest,
        lastAttemptedReleaseAction: wait.action,
        storageNamespace: wait.targetNamespace,
        history: [this.historyEntry(wait, 'deployed'), ...previous].slice(0, 5),
        conditions: carryTransitionTimes(s.conditions, [
          condition('Ready', 'True', reason, message, generation),
          condition('Released', 'True', reason, message, generation),
        ]),
      };
    });
    if (updated) this.events.record(updated, 'Normal', reason, message, 'helm-controller');
  }

  private fail(ref: ObjectRef, generation: number, reason: string, message: string, released: boolean, wait?: Wait) {
    const stalled = reason === 'InstallFailed' || reason === 'UpgradeFailed';
    const updated = this.writeStatus(ref, (s) => {
      const history = Array.isArray(s.history) ? s.history.filter(isPlainObject) : [];
      return {
        ...s,
        observedGeneration: generation,
        lastAttemptedGeneration: generation,
        ...(wait
          ? {
              lastAttemptedRevision: wait.chart.version,
              lastAttemptedConfigDigest: wait.digest,
              lastAttemptedReleaseAction: wait.action,
              history: [this.historyEntry(wait, 'failed'), ...history].slice(0, 5),
            }
          : {}),
        conditions: carryTransitionTimes(s.conditions, [
          ...(stalled
            ? [
                condition(
                  'Stalled',
                  'True',
                  'RetriesExceeded',
                  `Failed to ${wait?.action ?? 'install'} after 1 attempt(s)`,
                  generation,
                ),
              ]
            : []),
          condition('Ready', 'False', reason, message, generation),
          ...(released ? [condition('Released', 'False', reason, message, generation)] : []),
        ]),
      };
    });
    if (updated) this.events.record(updated, 'Warning', reason, message, 'helm-controller');
  }

  private uninstall(snapshot: StoredObject) {
    const release = this.fresh(snapshot);
    if (!release?.metadata.deletionTimestamp) return;
    this.waits.delete(release.metadata.uid);
    const spec = obj(release.spec);
    const ns = release.metadata.namespace ?? '';
    const targetNamespace = typeof spec.targetNamespace === 'string' ? spec.targetNamespace : ns;
    const selector = selectorFromLabels({ [NAME_LABEL]: release.metadata.name, [NAMESPACE_LABEL]: ns });
    for (const resource of namespaced)
      for (const object of this.store.list(resource, { namespace: targetNamespace, labelSelector: selector }))
        if (!object.metadata.deletionTimestamp)
          this.store.delete(resource, object.metadata.namespace, object.metadata.name);
    this.store.mutate(this.refOf(release), (r) => {
      r.metadata.finalizers = (r.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    });
  }
}

class ManifestError extends Error {}
