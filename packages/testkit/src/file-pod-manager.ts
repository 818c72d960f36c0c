import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
// Types only, by relative path: @volundr/core is not a dependency of the testkit (see
// both-databases.ts for why the testkit keeps its workspace edges this way).
import type { AdapterDefinition } from '../../core/src/adapters/adapter-definition';
import type {
  PodHandle,
  PodManager,
  PodStatus,
  StartAttempt,
  Unsubscribe,
} from '../../core/src/sessions/ports/pod-manager';

/**
 * A test-only PodManager that runs nothing and records every call that changes something as
 * one JSON line appended to a file. The file is the whole state, so it survives the API
 * process (SIGKILL, restart, a second process on the same database): tests count the `start`
 * lines per session to prove none was started twice, and a restarted API finds what its
 * predecessor started. A pod is ready `readyAfterMs` after its start (0: at once).
 *
 * Used through configuration like any adapter:
 *   adapters.podManager: { use: "/abs/path/packages/testkit/src/file-pod-manager.ts#filePodManager", file, readyAfterMs }
 */
export const ZFilePodManagerOptions = z.strictObject({
  file: z.string().min(1).refine(isAbsolute, 'an absolute path'),
  readyAfterMs: z.int().min(0).max(3_600_000).default(0),
});
export type FilePodManagerOptions = z.input<typeof ZFilePodManagerOptions>;

export interface FilePodRecord {
  op: 'start' | 'stop' | 'delete';
  sessionId: string;
  attemptId: string;
  /** Container names of the spec (start only). */
  containers?: string[];
  /** Epoch ms. */
  at: number;
  /** The process that made the call. */
  pid: number;
}

const BACKEND = 'file';

/** Every record in the file, in order (a torn last line from a killed writer is skipped). */
export function readFilePodRecords(file: string): FilePodRecord[] {
  if (!existsSync(file)) return [];
  const records: FilePodRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as FilePodRecord);
    } catch {
      // A line cut short by SIGKILL: that call never returned to its caller.
    }
  }
  return records;
}

/** How many times each session was started (what the fault tests check). */
export function startsPerSession(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of readFilePodRecords(file))
    if (r.op === 'start') counts.set(r.sessionId, (counts.get(r.sessionId) ?? 0) + 1);
  return counts;
}

export function createFilePodManager(input: FilePodManagerOptions): PodManager {
  const options = ZFilePodManagerOptions.parse(input);
  const append = (record: Omit<FilePodRecord, 'at' | 'pid'>) => {
    // One write() of one line with O_APPEND: concurrent processes never interleave lines.
    appendFileSync(options.file, `${JSON.stringify({ ...record, at: Date.now(), pid: process.pid })}\n`);
  };
  const records = (attemptId: string) => readFilePodRecords(options.file).filter((r) => r.attemptId === attemptId);
  const handleOf = (start: FilePodRecord, endpoints: PodHandle['endpoints']): PodHandle => ({
    backend: BACKEND,
    id: start.sessionId,
    attemptId: start.attemptId,
    ...(endpoints ? { endpoints } : {}),
  });

  function statusOf(handle: PodHandle): PodStatus {
    const mine = records(handle.attemptId);
    const start = mine.find((r) => r.op === 'start');
    if (!start) return { phase: 'missing', containers: [] };
    const containers = start.containers ?? [];
    if (mine.some((r) => r.op !== 'start'))
      return { phase: 'stopped', containers: containers.map((name) => ({ name, ready: false })) };
    const ready = Date.now() - start.at >= options.readyAfterMs;
    return {
      phase: ready ? 'running' : 'pending',
      containers: containers.map((name) => ({ name, ready, ...(ready ? {} : { message: 'starting' }) })),
    };
  }

  return {
    async start(spec, attempt: StartAttempt) {
      const containers = spec.pod.containers.map((c) => c.name);
      append({ op: 'start', sessionId: attempt.sessionId, attemptId: attempt.id, containers });
      return handleOf(
        { op: 'start', sessionId: attempt.sessionId, attemptId: attempt.id, at: 0, pid: 0 },
        spec.gateway?.endpoints,
      );
    },
    async find(attempt) {
      const start = records(attempt.id).find((r) => r.op === 'start');
      return start ? handleOf(start, undefined) : null;
    },
    async stop(handle) {
      append({ op: 'stop', sessionId: handle.id, attemptId: handle.attemptId });
    },
    async status(handle) {
      return statusOf(handle);
    },
    watch(handles, onChange): Unsubscribe {
      const timers = handles.map((handle) => {
        const start = records(handle.attemptId).find((r) => r.op === 'start');
        const wait = start ? Math.max(0, start.at + options.readyAfterMs - Date.now()) : 0;
        return setTimeout(() => onChange(handle, statusOf(handle)), wait);
      });
      return () => {
        for (const timer of timers) clearTimeout(timer);
      };
    },
    async delete(handle) {
      append({ op: 'delete', sessionId: handle.id, attemptId: handle.attemptId });
    },
  };
}

/** The adapter definition the API's configuration names. */
export const filePodManager: AdapterDefinition<z.infer<typeof ZFilePodManagerOptions>, PodManager> = {
  port: 'podManager',
  options: ZFilePodManagerOptions,
  create: (options) => createFilePodManager(options),
};
