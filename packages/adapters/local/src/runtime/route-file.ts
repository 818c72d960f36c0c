import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { routeFilePath, routesDir } from './session-paths';

/**
 * The route file `<dataDir>/run/sessions/<id>.json` is the local runtime's record of one
 * session's processes. The PodManager writes it; the gateway (in the front-door process) reads
 * it on every request, so routing keeps working while the API restarts; a new PodManager
 * re-adopts the processes from it.
 */
export const ZServiceRecord = z.strictObject({
  /** The container name from the SessionSpec (`skuld`, `terminal`, `ide`, sidecars). */
  name: z.string().min(1).max(63),
  role: z.enum(['broker', 'terminal', 'ide', 'sidecar']),
  port: z.int().min(1).max(65_535).nullable(),
  pid: z.int().positive().nullable(),
  /** Kernel start time of `pid` (clock ticks since boot), so a reused pid is not mistaken for ours. */
  startTime: z.string().max(40).nullable(),
  /** HTTP readiness path on `port`; null when the process is ready once it runs. */
  readinessPath: z.string().max(500).nullable(),
  logFile: z.string().min(1),
  ready: z.boolean(),
});
export type ServiceRecord = z.infer<typeof ZServiceRecord>;

export const ZRoutePhase = z.enum(['provisioning', 'running', 'failed', 'stopped']);
export type RoutePhase = z.infer<typeof ZRoutePhase>;

export const ZRouteFile = z.strictObject({
  version: z.literal(1),
  sessionId: z.string().min(1).max(255),
  attemptId: z.string().min(1).max(300),
  name: z.string().min(1).max(63),
  ownerId: z.string().min(1).max(255),
  tenantId: z.string().min(1).max(255),
  phase: ZRoutePhase,
  /** Why it failed, or what provisioning is doing now. */
  message: z.string().max(4000).nullable(),
  workspaceDir: z.string().min(1),
  logsDir: z.string().min(1),
  /** The terminal server's Basic credential (`user:password`), a 0600 file the gateway reads. */
  credentialFile: z.string().min(1).nullable(),
  services: z.array(ZServiceRecord).max(20),
  updatedAt: z.iso.datetime(),
});
export type RouteFile = z.infer<typeof ZRouteFile>;

export class RouteFileError extends Error {
  override readonly name = 'RouteFileError';
}

/** The session's route file, or null when there is none. A damaged file is an error naming it. */
export async function readRouteFile(path: string): Promise<RouteFile | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RouteFileError(`${path} is not valid JSON`);
  }
  const parsed = ZRouteFile.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new RouteFileError(`${path} is not a route file (${first?.path.join('.') || 'root'}: ${first?.message})`);
  }
  return parsed.data;
}

export const readSessionRoute = (dataDir: string, sessionId: string) =>
  readRouteFile(routeFilePath(dataDir, sessionId));

/** Written to a temp file and renamed, so a reader never sees half a file; mode 0600. */
export async function writeRouteFile(dataDir: string, route: RouteFile): Promise<void> {
  const path = routeFilePath(dataDir, route.sessionId);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, `${JSON.stringify(route, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

export async function removeRouteFile(dataDir: string, sessionId: string): Promise<void> {
  await rm(routeFilePath(dataDir, sessionId), { force: true });
}

/** Every route file in the data dir; damaged ones are returned as errors, not thrown. */
export async function listRouteFiles(
  dataDir: string,
): Promise<({ ok: true; route: RouteFile } | { ok: false; file: string; error: string })[]> {
  let names: string[];
  try {
    names = await readdir(routesDir(dataDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: ({ ok: true; route: RouteFile } | { ok: false; file: string; error: string })[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const file = join(routesDir(dataDir), name);
    try {
      const route = await readRouteFile(file);
      if (route) out.push({ ok: true, route });
    } catch (error) {
      out.push({ ok: false, file, error: (error as Error).message });
    }
  }
  return out;
}
