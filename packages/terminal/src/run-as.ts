import { readFileSync } from 'node:fs';

export interface RunAs {
  uid: number;
  gid: number;
}

/** The primary group of `uid` from /etc/passwd, or null. */
function primaryGid(uid: number): number | null {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
  for (const line of passwd.split('\n')) {
    const fields = line.split(':');
    if (Number(fields[2]) === uid && fields[3] !== undefined && /^\d+$/.test(fields[3])) return Number(fields[3]);
  }
  return null;
}

/**
 * Resolves the user the shells run as and prepares this process for it. node-pty only calls
 * setgid/setuid (and only when both ids are set), never setgroups, so a shell forked from a
 * root server would keep root's supplementary groups. Setting this process's supplementary
 * groups to the target user's first closes that: forked shells inherit them, and the server
 * itself keeps uid 0, whose access does not depend on groups.
 */
export function prepareRunAs(uid: number | undefined, gid: number | undefined): RunAs | undefined {
  if (uid === undefined) {
    if (gid !== undefined) throw new Error('--gid needs --uid (node-pty switches both or neither)');
    return undefined;
  }
  const resolvedGid = gid ?? primaryGid(uid);
  if (resolvedGid === null) throw new Error(`uid ${uid} has no entry in /etc/passwd: give --gid as well`);
  const self = process.getuid?.();
  if (self === uid) return { uid, gid: resolvedGid };
  if (self !== 0) throw new Error(`running shells as uid ${uid} needs this server to run as root (it runs as ${self})`);
  try {
    // Present on POSIX since Node 0.9, absent from @types/node.
    (process as NodeJS.Process & { initgroups?: (user: number, extraGroup: number) => void }).initgroups?.(
      uid,
      resolvedGid,
    );
  } catch {
    // No passwd entry for the uid: initgroups cannot look its groups up; give it just its gid.
    process.setgroups?.([resolvedGid]);
  }
  return { uid, gid: resolvedGid };
}
