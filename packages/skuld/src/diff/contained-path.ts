/**
 * Whether a workspace-relative path stays inside the workspace on disk. The query schema has
 * already refused `..`, absolute and odd paths; this follows symlinks: the deepest part of the
 * path that exists (the file itself when it exists, else its nearest existing parent) must
 * resolve inside the workspace. A deleted file is judged by its parent directory.
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

export type ContainedPath = { ok: true } | { ok: false; reason: string };

const inside = (root: string, target: string) => {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
};

export async function checkContainedPath(workspaceDir: string, path: string): Promise<ContainedPath> {
  const root = await realpath(workspaceDir);
  let candidate = join(root, ...path.split('/'));
  if (!inside(root, candidate)) return { ok: false, reason: 'is outside the workspace' };
  for (;;) {
    const exists = await lstat(candidate).then(
      () => true,
      () => false,
    );
    if (exists) {
      let resolved: string;
      try {
        resolved = await realpath(candidate);
      } catch {
        // A dangling symlink: judge where it would point.
        resolved = resolve(await realpath(dirname(candidate)), await readlink(candidate));
      }
      return inside(root, resolved)
        ? { ok: true }
        : { ok: false, reason: 'resolves outside the workspace (through a symbolic link)' };
    }
    const parent = dirname(candidate);
    if (parent === candidate || !inside(root, parent)) return { ok: true };
    candidate = parent;
  }
}
