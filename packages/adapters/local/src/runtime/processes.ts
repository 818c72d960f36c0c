/**
 * Process plumbing of the local runtime. Session processes run detached (each the leader of its
 * own process group), with stdio in log files and unref'd, so they outlive the API process that
 * started them; a later API re-adopts them by pid, checked against the kernel's start time so
 * a reused pid is never mistaken for ours. Linux `/proc` is read for start times, process groups
 * and descendants; zombies count as gone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgrp: number;
  startTime: string;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
  // cutime cstime priority nice threads itrealvalue starttime …"; comm may hold spaces and ")".
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    startTime: fields[19] ?? '',
  };
}

function allStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) out.push(stat);
  }
  return out;
}

const hasProc = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/** The kernel's start time of `pid` (an opaque token), or null when it does not run. */
export function processStartTime(pid: number): string | null {
  if (!hasProc) return null;
  const stat = readStat(pid);
  return stat && stat.state !== 'Z' ? stat.startTime : null;
}

/** Whether `pid` runs and (when known) is the process that had `startTime`. */
export function isProcessAlive(pid: number, startTime: string | null = null): boolean {
  if (!hasProc) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  const stat = readStat(pid);
  if (!stat || stat.state === 'Z') return false;
  return startTime === null || stat.startTime === startTime;
}

/** Live (non-zombie) members of process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  if (!hasProc) {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  return allStats()
    .filter((s) => s.pgrp === pgid && s.state !== 'Z')
    .map((s) => s.pid);
}

/** Every live descendant of `pid` (children in other groups or sessions too, e.g. pty shells). */
export function descendants(pid: number): { pid: number; startTime: string }[] {
  if (!hasProc) return [];
  const stats = allStats();
  const byParent = new Map<number, ProcStat[]>();
  for (const s of stats) {
    const list = byParent.get(s.ppid) ?? [];
    list.push(s);
    byParent.set(s.ppid, list);
  }
  const out: { pid: number; startTime: string }[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const child of byParent.get(parent) ?? []) {
      if (child.state === 'Z') continue;
      out.push({ pid: child.pid, startTime: child.startTime });
      queue.push(child.pid);
    }
  }
  return out;
}

export interface SpawnDetachedOptions {
  command: string;
  args: readonly string[];
  env: Record<string, string>;
  cwd: string;
  /** stdout and stderr are appended here (0600). */
  logFile: string;
}

/**
 * Starts a process as the leader of a new process group with its output in a log file, and
 * lets it outlive this process (unref: it does not keep our event loop alive either).
 */
export function spawnDetached(options: SpawnDetachedOptions): ChildProcess {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, 'a', 0o600);
  try {
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}

export interface TrackedProcess {
  pid: number;
  startTime: string | null;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone (ESRCH).
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Ends process groups the way a container runtime does: SIGTERM to each group, then SIGKILL to
 * whatever is left of the groups and of their descendants (which may have left the group, like
 * the terminal's pty shells) after `graceMs`. A group whose leader pid now belongs to another
 * process (start time differs) is not ours and is left alone. Resolves once all are gone.
 */
export async function stopProcessGroups(leaders: readonly TrackedProcess[], graceMs: number): Promise<void> {
  const ours = leaders.filter((leader) => {
    const now = processStartTime(leader.pid);
    // Leader gone: its pid cannot be reused while the group still has members, so they are ours.
    return now === null || leader.startTime === null || now === leader.startTime;
  });
  const tree = ours.flatMap((leader) => descendants(leader.pid));
  for (const leader of ours) signalGroup(leader.pid, 'SIGTERM');

  const remaining = () => [
    ...ours.flatMap((leader) => groupMembers(leader.pid)),
    ...tree.filter((p) => isProcessAlive(p.pid, p.startTime)).map((p) => p.pid),
  ];
  const deadline = Date.now() + graceMs;
  let wait = 5;
  while (remaining().length > 0 && Date.now() < deadline) {
    await pause(wait);
    wait = Math.min(wait * 2, 100);
  }
  if (remaining().length === 0) return;
  for (const leader of ours) signalGroup(leader.pid, 'SIGKILL');
  for (const p of tree) if (isProcessAlive(p.pid, p.startTime)) signalPid(p.pid, 'SIGKILL');
  const killDeadline = Date.now() + 5_000;
  wait = 5;
  while (remaining().length > 0 && Date.now() < killDeadline) {
    await pause(wait);
    wait = Math.min(wait * 2, 100);
  }
}
