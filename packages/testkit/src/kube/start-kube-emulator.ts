/**
 * A Kubernetes API server emulator for tests: a real HTTP server on 127.0.0.1 that
 * @kubernetes/client-node and kubectl talk to unmodified, backed by an in-memory store with
 * validation (kubernetes-models), resourceVersions, watches, garbage collection, and a simulated
 * kubelet + Flux. See docs/kube-emulator.md.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiType, KubeConfig } from '@kubernetes/client-node';
import { startGarbageCollector } from './garbage-collector';
import { createRequestHandler, type RecordedRequest } from './http-handler';
import type { StoredObject } from './kube-object';
import { clientConfig, type EmulatorKubeconfig, writeKubeconfig } from './kubeconfig';
import { startNamespaceController } from './namespace-controller';
import { ObjectStore } from './object-store';
import { PodLogs } from './pod-logs';
import { startPvcProtectionController } from './pvc-protection-controller';
import { resourceByKey } from './resource-catalog';
import { Kubelet, type KubeletOptions } from './simulator';
import { StoreAccess } from './store-access';
import { waitForObject } from './wait-for-object';
import { WorkQueue } from './work-queue';

export interface KubeEmulatorOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Namespaces to create besides default, kube-system, kube-public and kube-node-lease. */
  namespaces?: string[];
  /** The kubeconfig context's namespace. Default `default`. */
  contextNamespace?: string;
  /** Options of the simulated kubelet / Flux; `false` runs no simulation (objects stay as written). */
  kubelet?: KubeletOptions | false;
  /** Watch events kept per resource for resumption (older resourceVersions get 410). Default 20,000. */
  historyLimit?: number;
  /** Interval of BOOKMARK events on watches that allow them. Default 60 s, like a real server. */
  bookmarkIntervalMs?: number;
  /** storageClassName given to claims that name none. Default `standard`. */
  defaultStorageClass?: string;
  /** Requests kept in `requests` (oldest dropped first). Default 10,000. */
  requestLogLimit?: number;
}

export interface RecordedWarning {
  method: string;
  path: string;
  message: string;
}

export interface KubeEmulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  kubeconfig: EmulatorKubeconfig;
  /** A @kubernetes/client-node KubeConfig for the emulator. */
  kubeConfig: KubeConfig;
  /** `kubeConfig.makeApiClient(api)`, e.g. `emulator.client(CoreV1Api)`. */
  client<T extends ApiType>(api: new (config: never) => T): T;
  store: StoreAccess;
  kubelet: Kubelet | undefined;
  /** Requests answered so far (watches are recorded when they end). */
  requests: RecordedRequest[];
  /** `Warning` headers sent (unknown fields dropped from built-in kinds). */
  warnings: RecordedWarning[];
  /** Ends every open watch stream (as an API server restart would); returns how many. */
  dropWatches(): number;
  /** Errors thrown by the simulated controllers (a bug in the emulator if not empty). */
  controllerErrors: unknown[];
  /** Resolves when the garbage collector, namespace controller, kubelet and Flux are idle. */
  settle(timeoutMs?: number): Promise<void>;
  /**
   * Resolves with the object once `predicate` holds for it (`undefined` = the object does not
   * exist), driven by an in-process watch: no polling. Rejects after `timeoutMs` (default 5 s)
   * with the last state seen.
   */
  waitFor(
    resource: string,
    namespace: string | undefined,
    name: string,
    predicate: (object: StoredObject | undefined) => boolean,
    timeoutMs?: number,
  ): Promise<StoredObject | undefined>;
  close(): Promise<void>;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startKubeEmulator(options: KubeEmulatorOptions = {}): Promise<KubeEmulator> {
  const controllerErrors: unknown[] = [];
  const onControllerError = (err: unknown) => controllerErrors.push(err);
  const store = new ObjectStore({
    onControllerError,
    ...(options.historyLimit !== undefined ? { historyLimit: options.historyLimit } : {}),
    ...(options.defaultStorageClass !== undefined ? { defaultStorageClass: options.defaultStorageClass } : {}),
  });
  const work = new WorkQueue(onControllerError);
  const logs = new PodLogs();
  const stops = [
    startGarbageCollector(store, work),
    startNamespaceController(store, work),
    startPvcProtectionController(store, work),
  ];
  const namespaces = resourceByKey('/namespaces')!;
  for (const name of [...SYSTEM_NAMESPACES, ...(options.namespaces ?? [])])
    if (!store.find(namespaces, undefined, name))
      store.create(namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const kubelet = options.kubelet === false ? undefined : new Kubelet(store, work, logs, options.kubelet ?? {});

  const requests: RecordedRequest[] = [];
  const warnings: RecordedWarning[] = [];
  const limit = options.requestLogLimit ?? 10_000;
  let address = '127.0.0.1:0';
  const openWatches = new Set<() => void>();
  const handler = createRequestHandler({
    store,
    openWatches,
    logs,
    serverAddress: () => address,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    record: (r) => {
      requests.push(r);
      if (requests.length > limit) requests.splice(0, requests.length - limit);
    },
    warned: (w) => warnings.push(w),
  });
  const server = createServer(handler);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  address = `127.0.0.1:${port}`;
  const url = `http://${address}`;
  const kubeconfig = writeKubeconfig(url, options.contextNamespace ?? 'default');
  const kubeConfig = clientConfig(kubeconfig.yaml);
  const access = new StoreAccess(store);
  let closed = false;

  return {
    url,
    kubeconfig,
    kubeConfig,
    client: (api) => kubeConfig.makeApiClient(api as never),
    store: access,
    kubelet,
    requests,
    warnings,
    controllerErrors,
    dropWatches: () => {
      const open = [...openWatches];
      for (const end of open) end();
      return open.length;
    },
    settle: (timeoutMs) => work.idle(timeoutMs),
    waitFor: (resource, namespace, name, predicate, timeoutMs) =>
      waitForObject(access, resource, namespace, name, predicate, timeoutMs),
    close: async () => {
      if (closed) return;
      closed = true;
      kubelet?.stop();
      for (const stop of stops) stop();
      work.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      kubeconfig.remove();
    },
  };
}
