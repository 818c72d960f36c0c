/** Container output the simulated kubelet (or a test) wrote, served by `pods/<name>/log`. */
export interface LogLine {
  time: string;
  text: string;
}

type Listener = (line: LogLine) => void;

export class PodLogs {
  private readonly lines = new Map<string, LogLine[]>();
  private readonly listeners = new Map<string, Set<Listener>>();

  private static key(namespace: string, pod: string, container: string) {
    return `${namespace}/${pod}/${container}`;
  }

  append(namespace: string, pod: string, container: string, text: string): void {
    const key = PodLogs.key(namespace, pod, container);
    const lines = this.lines.get(key) ?? [];
    for (const part of text.replace(/\n$/, '').split('\n')) {
      const line = { time: new Date().toISOString(), text: part };
      lines.push(line);
      for (const l of this.listeners.get(key) ?? []) l(line);
    }
    this.lines.set(key, lines);
  }

  read(namespace: string, pod: string, container: string): readonly LogLine[] {
    return this.lines.get(PodLogs.key(namespace, pod, container)) ?? [];
  }

  follow(namespace: string, pod: string, container: string, listener: Listener): () => void {
    const key = PodLogs.key(namespace, pod, container);
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Drops a pod's logs (the pod is gone). */
  forget(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const key of this.lines.keys()) if (key.startsWith(prefix)) this.lines.delete(key);
  }
}
