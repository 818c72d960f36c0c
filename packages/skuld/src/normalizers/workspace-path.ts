import { isAbsolute, relative, resolve } from 'node:path';

/** A path as the protocol shows it: relative to the workspace when inside it, else absolute. */
export function displayPath(workspaceDir: string, path: string): string {
  const abs = isAbsolute(path) ? path : resolve(workspaceDir, path);
  const rel = relative(workspaceDir, abs);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
}
