/**
 * The emulator's `kubelet`: one handle on everything that moves objects after they are written
 * (scheduler, kubelet, volume provisioner, Flux source- and helm-controllers), with the failure
 * injection and delays a test controls.
 */
import { EventRecorder } from './event-recorder';
import type { InjectedFailure, ObjectMatch } from './failure-rules';
import { FluxController, type ReleaseFailure } from './flux-controller';
import { defaultHelmRenderer, type HelmRenderer } from './helm-render';
import type { StoredObject } from './kube-object';
import { type ClaimFailure, type KubeletDelays, PodSimulator } from './kubelet';
import type { ObjectStore } from './object-store';
import type { PodLogs } from './pod-logs';
import type { PodFailure } from './pod-status';
import type { WorkQueue } from './work-queue';

export interface SimulatorDelays extends KubeletDelays {
  /** HelmRelease / source written → reconciled. */
  releaseMs: number;
}

export interface KubeletOptions {
  /** All 0 by default: work runs right after the write, without timers. */
  delays?: Partial<SimulatorDelays>;
  /** Node names pods are bound to (round robin). Default three `emulator-node-N`. */
  nodes?: string[];
  /** Record core/v1 Events (Scheduled, Started, Failed, BackOff…). Default true. */
  recordEvents?: boolean;
  flux?: {
    /** Renders a HelmRelease into objects; default: see helm-render.ts. */
    render?: HelmRenderer;
    /** Releases whose chart source is missing stay not Ready (ArtifactFailed). Default true. */
    requireSource?: boolean;
  };
}

export class Kubelet {
  private delays: SimulatorDelays;
  private readonly pods: PodSimulator;
  private readonly flux: FluxController;
  private readonly stops: Array<() => void>;
  private recordEvents: boolean;
  readonly nodes: readonly string[];

  constructor(
    store: ObjectStore,
    private readonly work: WorkQueue,
    private readonly logs: PodLogs,
    options: KubeletOptions = {},
  ) {
    this.delays = { scheduleMs: 0, startMs: 0, backOffMs: 0, claimBindMs: 0, releaseMs: 0, ...options.delays };
    this.recordEvents = options.recordEvents ?? true;
    this.nodes = options.nodes ?? ['emulator-node-1', 'emulator-node-2', 'emulator-node-3'];
    const events = new EventRecorder(store, () => this.recordEvents);
    const resync = () => work.schedule(() => this.resync());
    this.pods = new PodSimulator(store, work, events, logs, () => this.delays, this.nodes, resync);
    this.flux = new FluxController(
      store,
      work,
      events,
      { render: options.flux?.render ?? defaultHelmRenderer, requireSource: options.flux?.requireSource ?? true },
      () => this.delays.releaseMs,
      resync,
    );
    this.stops = [this.pods.listen(), this.flux.listen()];
  }

  /** Pods matching `match` created (or scheduled) from now on fail this way. */
  failPods(match: ObjectMatch, failure: PodFailure): InjectedFailure {
    return this.pods.failPods(match, failure);
  }

  /** Breaks an existing pod now (a running pod starts crash-looping, stops being ready…). */
  failPod(namespace: string, name: string, failure: PodFailure): StoredObject {
    return structuredClone(this.pods.failPod(namespace, name, failure));
  }

  /** Brings a pod back to Running and Ready. */
  recoverPod(namespace: string, name: string): StoredObject {
    return structuredClone(this.pods.recoverPod(namespace, name));
  }

  /** Claims matching `match` stay Pending with a ProvisioningFailed event. */
  failClaims(match: ObjectMatch, failure: ClaimFailure = { type: 'ProvisioningFailed' }): InjectedFailure {
    return this.pods.failClaims(match, failure);
  }

  /** HelmReleases matching `match` fail their install or upgrade with `message`. */
  failReleases(match: ObjectMatch, failure: ReleaseFailure): InjectedFailure {
    return this.flux.failReleases(match, failure);
  }

  /** Removes every injected failure; pending pods, claims and releases are processed again. */
  clearFailures(): void {
    this.pods.podRules.clear();
    this.pods.claimRules.clear();
    this.flux.rules.clear();
  }

  setDelays(delays: Partial<SimulatorDelays>): void {
    this.delays = { ...this.delays, ...delays };
  }

  setRecordEvents(enabled: boolean): void {
    this.recordEvents = enabled;
  }

  /** Appends container output, served by `pods/<name>/log`. */
  appendLog(namespace: string, pod: string, container: string, text: string): void {
    this.logs.append(namespace, pod, container, text);
  }

  /** Resolves when the simulated controllers have nothing left to do. */
  idle(timeoutMs?: number): Promise<void> {
    return this.work.idle(timeoutMs);
  }

  private resync() {
    this.pods.resync();
    this.flux.resync();
  }

  stop(): void {
    for (const stop of this.stops) stop();
  }
}
