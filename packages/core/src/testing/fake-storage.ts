import type { Storage } from '../sessions/ports/storage';

/** Test double of Storage: directories under /data, calls recorded as `verb:id`. */
export function fakeStorage(options: { home?: boolean } = {}): Storage & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async ensureWorkspace({ sessionId }) {
      calls.push(`ensureWorkspace:${sessionId}`);
      return { kind: 'directory', path: `/data/workspaces/${sessionId}` };
    },
    async ensureHome({ ownerId }) {
      calls.push(`ensureHome:${ownerId}`);
      return options.home === false ? null : { kind: 'directory', path: `/data/homes/${ownerId}` };
    },
    async archiveWorkspace(sessionId) {
      calls.push(`archiveWorkspace:${sessionId}`);
    },
    async deleteWorkspace(sessionId) {
      calls.push(`deleteWorkspace:${sessionId}`);
    },
  };
}
