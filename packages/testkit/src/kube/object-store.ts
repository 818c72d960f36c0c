/**
 * The emulator's etcd + registry: objects by resource, namespace and name; one global
 * resourceVersion counter; per-resource event history for watch resumption; watchers indexed by
 * namespace and pinned name so a write only visits the watchers that can care about it; an owner
 * index for garbage collection. Every write goes through admission (defaults + validation).
 *
 * Events are dispatched in commit order through one queue, so a controller that writes while
 * handling an event never reorders what watchers and other controllers see.
 */
import { randomUUID } from 'node:crypto';
import { type AdmissionOptions, admit } from './admission';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  gone,
  invalid,
  notFound,
  unsupportedMediaType,
} from './api-error';
import type { DefaultingContext } from './defaults';
import { allFields, type FieldSelector } from './field-selector';
import { jsonEqual, jsonEqualExcept } from './json-equal';
import { isPlainObject, type KubeObject, kubeTimestamp, type OwnerReference, type StoredObject } from './kube-object';
import { everything, type LabelSelector } from './label-selector';
import { generatedSuffix, nameProblems } from './names';
import { applyConfiguration, type JsonPatch, jsonPatch, mergePatch, strategicMerge } from './patch';
import { RESOURCES, type ResourceType, resourceByKey } from './resource-catalog';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: StoreEventType;
  resource: ResourceType;
  object: StoredObject;
  /** The object before a MODIFIED or DELETED write. */
  previous: StoredObject | undefined;
  rv: number;
  /** Serialized watch lines by event type, built once and shared by all watchers. */
  lines?: Partial<Record<StoreEventType, string>>;
}

export interface ObjectRef {
  resource: ResourceType;
  namespace: string;
  name: string;
}

export interface WriteOptions extends AdmissionOptions {
  dryRun?: boolean;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export interface PatchOptions extends WriteOptions {
  subresource?: 'status';
  fieldManager?: string;
  force?: boolean;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: LabelSelector;
  fieldSelector?: FieldSelector;
}

export interface WatchSpec extends ListOptions {
  /** '' / '0' / undefined: start with synthetic ADDED events for what exists; a number: resume after it. */
  resourceVersion?: string;
}

/** Receives one serialized watch line (no newline) per event. */
export type WatchSink = (line: string, type: StoreEventType, object: StoredObject) => void;

export interface WatchHandle {
  stop(): void;
}

interface Watcher {
  namespace: string | undefined;
  name: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  sink: WatchSink;
}

class Table {
  readonly objects = new Map<string, Map<string, StoredObject>>();
  history: StoreEvent[] = [];
  compactedThrough = 0;
  readonly watchersAll = new Set<Watcher>();
  readonly watchersByNamespace = new Map<string, Set<Watcher>>();
  readonly watchersByName = new Map<string, Set<Watcher>>();

  constructor(readonly resource: ResourceType) {}

  namespace(ns: string, create: true): Map<string, StoredObject>;
  namespace(ns: string, create?: false): Map<string, StoredObject> | undefined;
  namespace(ns: string, create = false) {
    let map = this.objects.get(ns);
    if (!map && create) {
      map = new Map();
      this.objects.set(ns, map);
    }
    return map;
  }
}

export interface ObjectStoreOptions {
  /** Events kept per resource for watch resumption; older resourceVersions answer 410. */
  historyLimit?: number;
  defaultStorageClass?: string;
  onControllerError?: (err: unknown) => void;
}

const clone = <T>(value: T): T => structuredClone(value);
const nsKey = (resource: ResourceType, namespace: string | undefined) => (resource.namespaced ? (namespace ?? '') : '');

export class ObjectStore {
  private rv = 0;
  private readonly tables = new Map<string, Table>();
  private readonly byUid = new Map<string, ObjectRef>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly applied = new Map<string, Map<string, unknown>>();
  private readonly queue: StoreEvent[] = [];
  private draining = false;
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private nextClusterIP = 10;
  private readonly historyLimit: number;
  private readonly defaulting: DefaultingContext;

  constructor(private readonly options: ObjectStoreOptions = {}) {
    for (const r of RESOURCES) this.tables.set(r.key, new Table(r));
    this.historyLimit = options.historyLimit ?? 20_000;
    this.defaulting = {
      allocateClusterIP: () => {
        const n = this.nextClusterIP++;
        return `10.96.${(n >> 8) & 255}.${n & 255}`;
      },
      defaultStorageClass: options.defaultStorageClass ?? 'standard',
    };
  }

  /** The current (latest) resourceVersion, as a string like the API server's. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  private table(resource: ResourceType): Table {
    return this.tables.get(resource.key)!;
  }

  // ------------------------------------------------------------------ reads

  /** The stored object (do not mutate it) or undefined. */
  find(resource: ResourceType, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.table(resource).namespace(nsKey(resource, namespace))?.get(name);
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): StoredObject {
    const found = this.find(resource, namespace, name);
    if (!found) throw notFound(resource, name);
    return found;
  }

  findByUid(uid: string): ObjectRef | undefined {
    return this.byUid.get(uid);
  }

  /** Matching objects sorted by namespace and name (the order etcd returns them in). */
  list(resource: ResourceType, options: ListOptions = {}): StoredObject[] {
    const table = this.table(resource);
    const labels = options.labelSelector ?? everything;
    const fields = options.fieldSelector ?? allFields;
    const namespaces =
      resource.namespaced && options.namespace !== undefined ? [options.namespace] : [...table.objects.keys()].sort();
    const out: StoredObject[] = [];
    for (const ns of namespaces) {
      const objects = table.objects.get(ns);
      if (!objects) continue;
      const names = [...objects.keys()].sort();
      for (const name of names) {
        const object = objects.get(name)!;
        if (labels.matches(object.metadata.labels) && fields.matches(object)) out.push(object);
      }
    }
    return out;
  }

  count(resource: ResourceType, namespace?: string): number {
    const table = this.table(resource);
    if (namespace !== undefined) return table.objects.get(namespace)?.size ?? 0;
    let n = 0;
    for (const objects of table.objects.values()) n += objects.size;
    return n;
  }

  /** Refs of the objects whose ownerReferences name `uid`. */
  dependentsOf(uid: string): ObjectRef[] {
    const keys = this.dependents.get(uid);
    if (!keys) return [];
    return [...keys].map((k) => this.byUid.get(k)).filter((r): r is ObjectRef => r !== undefined);
  }

  // ------------------------------------------------------------------ writes

  create(
    resource: ResourceType,
    namespace: string | undefined,
    body: KubeObject,
    options: WriteOptions = {},
  ): StoredObject {
    const object = this.decode(resource, namespace, body);
    const meta = object.metadata;
    if (!meta.name) {
      if (!meta.generateName)
        throw invalid(resource, '', [
          {
            reason: 'FieldValueRequired',
            field: 'metadata.name',
            message: 'Required value: name or generateName is required',
          },
        ]);
      do meta.name = `${meta.generateName}${generatedSuffix()}`;
      while (this.find(resource, meta.namespace, meta.name));
    }
    const name = meta.name;
    const problems = nameProblems(name, resource.nameRule);
    if (problems.length > 0)
      throw invalid(
        resource,
        name,
        problems.map((p) => ({
          reason: 'FieldValueInvalid',
          field: 'metadata.name',
          message: `Invalid value: "${name}": ${p}`,
        })),
      );
    if (resource.namespaced) this.requireActiveNamespace(resource, meta.namespace!, name);
    if (this.find(resource, meta.namespace, name)) throw alreadyExists(resource, name);
    for (const key of [
      'resourceVersion',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'selfLink',
      'managedFields',
    ])
      delete meta[key];
    meta.uid = randomUUID();
    meta.creationTimestamp = kubeTimestamp();
    meta.generation = 1;
    const admitted = admit(resource, object, undefined, this.defaulting, options) as StoredObject;
    if (resource.kind === 'Pod' && resource.group === '') this.requireServiceAccount(resource, admitted);
    if (options.dryRun) return admitted;
    return this.commit(resource, 'ADDED', admitted, undefined);
  }

  /** PUT: replaces the object (or its status), honouring `metadata.resourceVersion` as a precondition. */
  replace(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    options: WriteOptions & { subresource?: 'status' } = {},
  ): StoredObject {
    const previous = this.get(resource, namespace, name);
    const object = this.decode(resource, namespace, body);
    if (object.metadata.name !== undefined && object.metadata.name !== name)
      throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
    object.metadata.name = name;
    this.checkPreconditions(resource, previous, object);
    return this.update(resource, previous, object, options);
  }

  patch(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    body: unknown,
    options: PatchOptions = {},
  ): StoredObject {
    if (patchType === 'strategic' && !resource.builtIn)
      throw unsupportedMediaType(
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
      );
    const previous = this.find(resource, namespace, name);
    if (patchType === 'apply') return this.apply(resource, namespace, name, previous, body, options);
    if (!previous) throw notFound(resource, name);
    if (patchType === 'json' ? !Array.isArray(body) : !isPlainObject(body))
      throw badRequest(
        `the body of the request was not a valid ${patchType === 'json' ? 'JSON patch (an array of operations)' : 'patch (an object)'}`,
      );
    const base = clone(previous) as unknown;
    const patched =
      patchType === 'merge'
        ? mergePatch(base, body)
        : patchType === 'strategic'
          ? strategicMerge(base, body)
          : jsonPatch(base, body as JsonPatch);
    if (!isPlainObject(patched)) throw badRequest('the patch produced something other than an object');
    const object = this.decode(resource, namespace, patched as KubeObject);
    if (object.metadata.name !== name)
      throw badRequest(
        `the name of the object (${String(object.metadata.name)}) does not match the name on the URL (${name})`,
      );
    this.checkPreconditions(resource, previous, object);
    return this.update(resource, previous, object, options);
  }

  /** Server-side apply, without field ownership conflicts (see docs/kube-emulator.md). */
  private apply(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    previous: StoredObject | undefined,
    body: unknown,
    options: PatchOptions,
  ): StoredObject {
    if (!options.fieldManager) throw badRequest('PATCH /apply requires fieldManager to be set');
    if (!isPlainObject(body)) throw badRequest('the applied configuration must be an object');
    const config = body as KubeObject;
    if (isPlainObject(config.metadata) && config.metadata.name !== undefined && config.metadata.name !== name)
      throw badRequest(
        `the name of the object (${String(config.metadata.name)}) does not match the name on the URL (${name})`,
      );
    if (!previous) {
      const created = this.create(
        resource,
        namespace,
        { ...clone(config), metadata: { ...clone(config.metadata ?? {}), name } },
        options,
      );
      if (!options.dryRun) this.rememberApplied(created.metadata.uid, options.fieldManager, config);
      return created;
    }
    const before = this.applied.get(previous.metadata.uid)?.get(options.fieldManager);
    const merged = applyConfiguration(clone(previous), before, config) as KubeObject;
    const object = this.decode(resource, namespace, merged);
    this.checkPreconditions(resource, previous, object);
    const result = this.update(resource, previous, object, options);
    if (!options.dryRun) this.rememberApplied(result.metadata.uid, options.fieldManager, config);
    return result;
  }

  private rememberApplied(uid: string, manager: string, config: unknown) {
    let managers = this.applied.get(uid);
    if (!managers) {
      managers = new Map();
      this.applied.set(uid, managers);
    }
    managers.set(manager, clone(config));
  }

  /**
   * Deletes an object: at once when nothing holds it, otherwise by setting deletionTimestamp and
   * leaving it to its finalizers (and to the garbage collector for Foreground / Orphan).
   */
  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): { object: StoredObject; removed: boolean } {
    const existing = this.get(resource, namespace, name);
    const pre = options.preconditions;
    if (pre?.uid !== undefined && pre.uid !== existing.metadata.uid)
      throw conflict(
        resource,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== existing.metadata.resourceVersion)
      throw conflict(
        resource,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
      );
    if (existing.metadata.deletionTimestamp) return { object: existing, removed: false };
    const finalizers = [...(existing.metadata.finalizers ?? [])];
    const hasDependents = (this.dependents.get(existing.metadata.uid)?.size ?? 0) > 0;
    if (hasDependents && options.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion'))
      finalizers.push('foregroundDeletion');
    if (hasDependents && options.propagationPolicy === 'Orphan' && !finalizers.includes('orphan'))
      finalizers.push('orphan');
    const isNamespace = resource.kind === 'Namespace' && resource.group === '';
    if (finalizers.length === 0 && !isNamespace) {
      if (options.dryRun) return { object: existing, removed: true };
      return { object: this.commit(resource, 'DELETED', clone(existing), existing), removed: true };
    }
    const next = clone(existing);
    next.metadata.deletionTimestamp = kubeTimestamp();
    next.metadata.deletionGracePeriodSeconds = 0;
    if (finalizers.length > 0) next.metadata.finalizers = finalizers;
    if (isNamespace) next.status = { ...(isPlainObject(next.status) ? next.status : {}), phase: 'Terminating' };
    if (options.dryRun) return { object: next, removed: false };
    return { object: this.commit(resource, 'MODIFIED', next, existing), removed: false };
  }

  /**
   * A controller's write: replaces the object (spec and status together) without client-side
   * restrictions. `mutate` receives a private copy; returning it unchanged writes nothing.
   */
  mutate(ref: ObjectRef, mutate: (copy: StoredObject) => void, options: WriteOptions = {}): StoredObject | undefined {
    const previous = this.find(ref.resource, ref.namespace, ref.name);
    if (!previous) return undefined;
    const copy = clone(previous);
    mutate(copy);
    return this.update(ref.resource, previous, copy, { ...options, privileged: true, controller: true });
  }

  // ------------------------------------------------------------------ watch

  watch(resource: ResourceType, spec: WatchSpec, sink: WatchSink): WatchHandle {
    const table = this.table(resource);
    const watcher: Watcher = {
      namespace: resource.namespaced ? spec.namespace : undefined,
      name: (spec.fieldSelector ?? allFields).name,
      labels: spec.labelSelector ?? everything,
      fields: spec.fieldSelector ?? allFields,
      sink,
    };
    const from = spec.resourceVersion;
    if (from === undefined || from === '' || from === '0') {
      for (const object of this.list(resource, { ...spec, namespace: watcher.namespace }))
        sink(JSON.stringify({ type: 'ADDED', object }), 'ADDED', object);
    } else {
      if (!/^\d+$/.test(from)) throw badRequest(`invalid resource version "${from}"`);
      const since = Number(from);
      if (since < table.compactedThrough) throw gone(`too old resource version: ${since} (${table.compactedThrough})`);
      for (const event of this.historyAfter(table, since)) this.deliver(watcher, event);
    }
    this.register(table, watcher);
    return { stop: () => this.unregister(table, watcher) };
  }

  /** Forgets the event history: watches resuming from an older resourceVersion get 410 Gone. */
  compact(): void {
    for (const table of this.tables.values()) {
      table.history = [];
      table.compactedThrough = this.rv;
    }
  }

  /** In-process subscription to every committed event, in commit order (controllers). */
  onEvent(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ------------------------------------------------------------------ internals

  private decode(resource: ResourceType, namespace: string | undefined, body: KubeObject): KubeObject {
    if (!isPlainObject(body)) throw badRequest('the request body must be a JSON object');
    const object = clone(body) as KubeObject;
    if (object.apiVersion !== undefined && object.apiVersion !== resource.apiVersion)
      throw badRequest(
        `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${resource.apiVersion})`,
      );
    if (object.kind !== undefined && object.kind !== resource.kind)
      throw badRequest(
        `the kind in the data (${String(object.kind)}) does not match the expected kind (${resource.kind})`,
      );
    object.apiVersion = resource.apiVersion;
    object.kind = resource.kind;
    if (object.metadata === undefined || object.metadata === null) object.metadata = {};
    if (!isPlainObject(object.metadata)) throw badRequest('metadata must be an object');
    if (resource.namespaced) {
      const given = object.metadata.namespace;
      if (given !== undefined && given !== '' && namespace !== undefined && given !== namespace)
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      const ns = namespace ?? given;
      if (!ns) throw badRequest('a namespace must be given for a namespaced resource');
      object.metadata.namespace = ns;
    } else delete object.metadata.namespace;
    return object;
  }

  private requireActiveNamespace(resource: ResourceType, namespace: string, name: string) {
    const ns = this.find(resourceByKey('/namespaces')!, undefined, namespace);
    if (!ns) throw notFound(resourceByKey('/namespaces')!, namespace);
    if (ns.metadata.deletionTimestamp)
      throw forbidden(
        resource,
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
  }

  private requireServiceAccount(resource: ResourceType, pod: StoredObject) {
    const spec = isPlainObject(pod.spec) ? pod.spec : {};
    const account = typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : 'default';
    const ns = pod.metadata.namespace!;
    if (!this.find(resourceByKey('/serviceaccounts')!, ns, account))
      throw forbidden(
        resource,
        pod.metadata.name,
        `error looking up service account ${ns}/${account}: serviceaccount "${account}" not found`,
      );
  }

  private checkPreconditions(resource: ResourceType, previous: StoredObject, object: KubeObject) {
    const rv = object.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== previous.metadata.resourceVersion)
      throw conflict(resource, previous.metadata.name);
    const uid = object.metadata.uid;
    if (uid !== undefined && uid !== '' && uid !== previous.metadata.uid)
      throw conflict(
        resource,
        previous.metadata.name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${previous.metadata.uid}`,
      );
  }

  private update(
    resource: ResourceType,
    previous: StoredObject,
    candidate: KubeObject,
    options: WriteOptions & { subresource?: 'status'; controller?: boolean },
  ): StoredObject {
    let next: KubeObject;
    if (options.subresource === 'status') {
      next = clone(previous);
      if (candidate.status === undefined) delete next.status;
      else next.status = clone(candidate.status);
    } else {
      next = candidate;
      if (resource.statusSubresource && !options.controller) {
        if (previous.status === undefined) delete next.status;
        else next.status = clone(previous.status);
      }
      const kept = previous.metadata;
      next.metadata = {
        ...next.metadata,
        name: kept.name,
        uid: kept.uid,
        creationTimestamp: kept.creationTimestamp,
        generation: kept.generation,
      };
      if (resource.namespaced) next.metadata.namespace = kept.namespace;
      if (kept.deletionTimestamp) {
        next.metadata.deletionTimestamp = kept.deletionTimestamp;
        next.metadata.deletionGracePeriodSeconds = kept.deletionGracePeriodSeconds;
        const added = (next.metadata.finalizers ?? []).filter((f) => !(kept.finalizers ?? []).includes(f));
        if (added.length > 0)
          throw invalid(resource, kept.name, [
            {
              reason: 'FieldValueForbidden',
              field: 'metadata.finalizers',
              message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => `"${f}"`).join(', ')}}`,
            },
          ]);
      } else {
        delete next.metadata.deletionTimestamp;
        delete next.metadata.deletionGracePeriodSeconds;
      }
      delete next.metadata.managedFields;
    }
    next.metadata.resourceVersion = previous.metadata.resourceVersion;
    const admitted = admit(resource, next, previous, this.defaulting, options) as StoredObject;
    if (!jsonEqualExcept(previous, admitted, ['metadata', 'status', 'apiVersion', 'kind']))
      admitted.metadata.generation = (previous.metadata.generation ?? 1) + 1;
    if (jsonEqual(previous, admitted)) return previous;
    if (options.dryRun) return admitted;
    if (admitted.metadata.deletionTimestamp && this.isFinalized(resource, admitted))
      return this.commit(resource, 'DELETED', admitted, previous);
    return this.commit(resource, 'MODIFIED', admitted, previous);
  }

  private isFinalized(resource: ResourceType, object: StoredObject): boolean {
    if ((object.metadata.finalizers ?? []).length > 0) return false;
    if (resource.kind === 'Namespace' && resource.group === '') {
      const spec = isPlainObject(object.spec) ? object.spec : {};
      return !Array.isArray(spec.finalizers) || spec.finalizers.length === 0;
    }
    return true;
  }

  private commit(
    resource: ResourceType,
    type: StoreEventType,
    object: StoredObject,
    previous: StoredObject | undefined,
  ): StoredObject {
    this.rv++;
    object.metadata.resourceVersion = String(this.rv);
    const table = this.table(resource);
    const ns = nsKey(resource, object.metadata.namespace);
    const uid = object.metadata.uid;
    if (type === 'DELETED') {
      const objects = table.namespace(ns);
      objects?.delete(object.metadata.name);
      if (objects?.size === 0) table.objects.delete(ns);
      this.byUid.delete(uid);
      this.applied.delete(uid);
    } else {
      table.namespace(ns, true).set(object.metadata.name, object);
      this.byUid.set(uid, { resource, namespace: ns, name: object.metadata.name });
    }
    this.indexOwners(
      uid,
      previous?.metadata.ownerReferences,
      type === 'DELETED' ? undefined : object.metadata.ownerReferences,
    );
    const event: StoreEvent = { type, resource, object, previous, rv: this.rv };
    table.history.push(event);
    if (table.history.length > this.historyLimit) {
      const dropped = table.history.splice(0, Math.ceil(this.historyLimit / 10));
      table.compactedThrough = dropped.at(-1)!.rv;
    }
    this.queue.push(event);
    this.drain();
    return object;
  }

  private indexOwners(uid: string, before: OwnerReference[] | undefined, after: OwnerReference[] | undefined) {
    const old = new Set((before ?? []).map((r) => r.uid));
    const now = new Set((after ?? []).map((r) => r.uid));
    for (const owner of old)
      if (!now.has(owner)) {
        const set = this.dependents.get(owner);
        set?.delete(uid);
        if (set?.size === 0) this.dependents.delete(owner);
      }
    for (const owner of now)
      if (!old.has(owner)) {
        let set = this.dependents.get(owner);
        if (!set) {
          set = new Set();
          this.dependents.set(owner, set);
        }
        set.add(uid);
      }
  }

  private drain() {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let event = this.queue.shift(); event; event = this.queue.shift()) {
        this.dispatch(event);
        for (const listener of this.listeners) {
          try {
            listener(event);
          } catch (err) {
            this.options.onControllerError?.(err);
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private historyAfter(table: Table, rv: number): StoreEvent[] {
    const history = table.history;
    let lo = 0;
    let hi = history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (history[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return history.slice(lo);
  }

  private register(table: Table, watcher: Watcher) {
    if (watcher.name !== undefined) addTo(table.watchersByName, watcher.name, watcher);
    else if (watcher.namespace !== undefined) addTo(table.watchersByNamespace, watcher.namespace, watcher);
    else table.watchersAll.add(watcher);
  }

  private unregister(table: Table, watcher: Watcher) {
    if (watcher.name !== undefined) removeFrom(table.watchersByName, watcher.name, watcher);
    else if (watcher.namespace !== undefined) removeFrom(table.watchersByNamespace, watcher.namespace, watcher);
    else table.watchersAll.delete(watcher);
  }

  private dispatch(event: StoreEvent) {
    const table = this.table(event.resource);
    const ns = event.object.metadata.namespace ?? '';
    for (const w of table.watchersAll) this.deliver(w, event);
    const inNamespace = table.watchersByNamespace.get(ns);
    if (inNamespace) for (const w of inNamespace) this.deliver(w, event);
    const byName = table.watchersByName.get(event.object.metadata.name);
    if (byName) for (const w of byName) this.deliver(w, event);
  }

  private deliver(watcher: Watcher, event: StoreEvent) {
    if (watcher.namespace !== undefined && (event.object.metadata.namespace ?? '') !== watcher.namespace) return;
    const matches = (o: StoredObject) => watcher.labels.matches(o.metadata.labels) && watcher.fields.matches(o);
    let type: StoreEventType | undefined;
    if (event.type === 'MODIFIED') {
      const before = event.previous ? matches(event.previous) : false;
      const now = matches(event.object);
      type = before && now ? 'MODIFIED' : before ? 'DELETED' : now ? 'ADDED' : undefined;
    } else if (matches(event.object)) type = event.type;
    if (!type) return;
    event.lines ??= {};
    let line = event.lines[type];
    if (line === undefined) {
      line = JSON.stringify({ type, object: event.object });
      event.lines[type] = line;
    }
    try {
      watcher.sink(line, type, event.object);
    } catch (err) {
      this.options.onControllerError?.(err);
    }
  }
}

function addTo(map: Map<string, Set<Watcher>>, key: string, watcher: Watcher) {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(watcher);
}

function removeFrom(map: Map<string, Set<Watcher>>, key: string, watcher: Watcher) {
  const set = map.get(key);
  set?.delete(watcher);
  if (set?.size === 0) map.delete(key);
}
