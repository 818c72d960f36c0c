/**
 * `meta.k8s.io/v1 Table` responses, which `kubectl get` asks for when printing columns. Every kind
 * gets Name and Age; pods add Ready, Status and Restarts the way kubectl shows them.
 */
import { isPlainObject, type StoredObject } from './kube-object';

const list = (value: unknown) => (Array.isArray(value) ? value.filter(isPlainObject) : []);

export function age(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const seconds = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

function podColumns(pod: StoredObject): [string, string, number] {
  const status = isPlainObject(pod.status) ? pod.status : {};
  const statuses = list(status.containerStatuses);
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const total = list(spec.containers).length;
  const ready = statuses.filter((s) => s.ready === true).length;
  const restarts = statuses.reduce((n, s) => n + (typeof s.restartCount === 'number' ? s.restartCount : 0), 0);
  let reason = typeof status.phase === 'string' ? status.phase : 'Pending';
  for (const s of statuses) {
    const state = isPlainObject(s.state) ? s.state : {};
    const waiting = isPlainObject(state.waiting) ? state.waiting : undefined;
    const terminated = isPlainObject(state.terminated) ? state.terminated : undefined;
    if (waiting?.reason) reason = String(waiting.reason);
    else if (terminated?.reason) reason = String(terminated.reason);
  }
  for (const s of list(status.initContainerStatuses)) {
    const state = isPlainObject(s.state) ? s.state : {};
    const waiting = isPlainObject(state.waiting) ? state.waiting : undefined;
    const terminated = isPlainObject(state.terminated) ? state.terminated : undefined;
    if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${String(waiting.reason)}`;
    else if (terminated && terminated.exitCode !== 0) reason = `Init:${String(terminated.reason ?? 'Error')}`;
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  return [`${ready}/${total}`, reason, restarts];
}

export function toTable(
  objects: readonly StoredObject[],
  resourceVersion: string,
  includeObject: string,
  isPod: boolean,
) {
  const columns = [
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      description: 'Name must be unique within a namespace.',
      priority: 0,
    },
    ...(isPod
      ? [
          { name: 'Ready', type: 'string', format: '', description: 'The number of ready containers.', priority: 0 },
          {
            name: 'Status',
            type: 'string',
            format: '',
            description: 'The aggregate status of the containers.',
            priority: 0,
          },
          {
            name: 'Restarts',
            type: 'integer',
            format: '',
            description: 'The number of container restarts.',
            priority: 0,
          },
        ]
      : []),
    { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp of the object.', priority: 0 },
  ];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns,
    rows: objects.map((o) => ({
      cells: [o.metadata.name, ...(isPod ? podColumns(o) : []), age(o.metadata.creationTimestamp)],
      ...(includeObject === 'None'
        ? {}
        : includeObject === 'Object'
          ? { object: o }
          : { object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } }),
    })),
  };
}
