/**
 * The store as a test sees it: resources named the way one writes them (`pods`, `Pod`,
 * `helmreleases`), copies instead of the stored objects, and writes that go through the same
 * admission and events as HTTP requests (without HTTP).
 */
import { parseFieldSelector } from './field-selector';
import type { KubeObject, StoredObject } from './kube-object';
import { parseLabelSelector } from './label-selector';
import type { DeleteOptions, ObjectStore, PatchType, StoreEventType, WatchHandle, WriteOptions } from './object-store';
import { resolveResource } from './resource-catalog';

export interface ListQuery {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

const copy = <T>(value: T): T => structuredClone(value);

export class StoreAccess {
  constructor(readonly raw: ObjectStore) {}

  get resourceVersion(): string {
    return this.raw.resourceVersion;
  }

  get(resource: string, namespace: string | undefined, name: string): StoredObject | undefined {
    const found = this.raw.find(resolveResource(resource), namespace, name);
    return found && copy(found);
  }

  list(resource: string, query: ListQuery = {}): StoredObject[] {
    const type = resolveResource(resource);
    return this.raw
      .list(type, {
        ...(query.namespace !== undefined ? { namespace: query.namespace } : {}),
        labelSelector: parseLabelSelector(query.labelSelector),
        fieldSelector: parseFieldSelector(query.fieldSelector, type.fieldSelectors),
      })
      .map(copy);
  }

  count(resource: string, namespace?: string): number {
    return this.raw.count(resolveResource(resource), namespace);
  }

  create(resource: string, object: KubeObject, options?: WriteOptions): StoredObject {
    return copy(this.raw.create(resolveResource(resource), object.metadata.namespace, object, options));
  }

  replace(resource: string, object: KubeObject, options?: WriteOptions & { subresource?: 'status' }): StoredObject {
    const name = object.metadata.name;
    if (!name) throw new Error('kube emulator: replace needs metadata.name');
    return copy(this.raw.replace(resolveResource(resource), object.metadata.namespace, name, object, options));
  }

  patch(
    resource: string,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: WriteOptions & { type?: PatchType; subresource?: 'status'; fieldManager?: string } = {},
  ): StoredObject {
    const { type = 'merge', ...rest } = options;
    return copy(this.raw.patch(resolveResource(resource), namespace, name, type, patch, rest));
  }

  delete(resource: string, namespace: string | undefined, name: string, options?: DeleteOptions): void {
    this.raw.delete(resolveResource(resource), namespace, name, options);
  }

  /** An in-process watch (no HTTP): receives the same events an HTTP watch would. */
  watch(
    resource: string,
    query: ListQuery & { resourceVersion?: string },
    onEvent: (type: StoreEventType, object: StoredObject) => void,
  ): WatchHandle {
    const type = resolveResource(resource);
    return this.raw.watch(
      type,
      {
        ...(query.namespace !== undefined ? { namespace: query.namespace } : {}),
        labelSelector: parseLabelSelector(query.labelSelector),
        fieldSelector: parseFieldSelector(query.fieldSelector, type.fieldSelectors),
        ...(query.resourceVersion !== undefined ? { resourceVersion: query.resourceVersion } : {}),
      },
      (_line, eventType, object) => onEvent(eventType, object),
    );
  }

  /** Drops the watch history: resuming a watch from an older resourceVersion answers 410 Gone. */
  compact(): void {
    this.raw.compact();
  }
}
