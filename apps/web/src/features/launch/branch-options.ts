import type { Branch } from '@volundr/contracts/git';

export interface BranchOption {
  name: string;
  isDefault: boolean;
  protected: boolean;
}

export const MAX_BRANCH_OPTIONS = 50;

/**
 * The branches a picker offers for what was typed: without a query, the default branch first
 * and then the rest by name; with one (case-insensitive), names that start with it before names
 * that only contain it. At most `limit`; `more` counts what was left out.
 */
export function filterBranches(
  branches: readonly Branch[],
  query: string,
  defaultBranch: string | null,
  limit = MAX_BRANCH_OPTIONS,
): { options: BranchOption[]; more: number } {
  const q = query.trim().toLowerCase();
  const rank = (name: string) => {
    const lower = name.toLowerCase();
    if (name === defaultBranch && (!q || lower.includes(q))) return 0;
    if (!q) return 2;
    if (lower === q) return 0.5;
    if (lower.startsWith(q)) return 1;
    if (lower.includes(q)) return 2;
    return null;
  };
  const matching = branches
    .map((b) => ({ b, r: rank(b.name) }))
    .filter((x): x is { b: Branch; r: number } => x.r !== null)
    .sort((x, y) => x.r - y.r || x.b.name.localeCompare(y.b.name));
  return {
    options: matching.slice(0, limit).map(({ b }) => ({
      name: b.name,
      isDefault: b.name === defaultBranch,
      protected: b.protected === true,
    })),
    more: Math.max(0, matching.length - limit),
  };
}
