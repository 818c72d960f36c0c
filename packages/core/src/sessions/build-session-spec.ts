import { type SessionSpec, ZSessionSpec } from '@volundr/contracts/session-spec';
import { DomainError, isDomainError } from '../errors';
import { mergeContributions, type NamedContribution } from './merge-contributions';
import type { CleanupContext, Contributor, SessionContext } from './session-context';

export interface PipelineHooks {
  /** Called after each contributor produced its part (a provisioning event per contributor). */
  onApplied?(contributor: string, index: number, total: number): Promise<void> | void;
  /** Wraps each contributor's call (a tracing span per contributor). */
  around?<T>(contributor: string, index: number, call: () => Promise<T>): Promise<T>;
}

/** Runs the contributors in order, merges their parts and validates the result. */
export async function buildSessionSpec(
  contributors: readonly Contributor[],
  context: SessionContext,
  hooks: PipelineHooks = {},
): Promise<SessionSpec> {
  const parts: NamedContribution[] = [];
  for (const [index, contributor] of contributors.entries()) {
    let contribution: NamedContribution['contribution'];
    try {
      const call = async () => contributor.contribute(context);
      contribution = await (hooks.around ? hooks.around(contributor.name, index, call) : call());
    } catch (error) {
      throw contributorFailure(contributor.name, error);
    }
    parts.push({ contributor: contributor.name, contribution });
    await hooks.onApplied?.(contributor.name, index, contributors.length);
  }
  return validateSpec(mergeContributions(parts));
}

/** Validates a merged spec; `SPEC_INVALID` lists each problem with its path. */
export function validateSpec(merged: unknown): SessionSpec {
  const result = ZSessionSpec.safeParse(merged);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }));
  const summary = issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(spec)'}: ${i.message}`)
    .join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  throw new DomainError('SPEC_INVALID', `The merged session spec is invalid: ${summary}${more}`, { issues });
}

function contributorFailure(name: string, error: unknown): DomainError {
  if (isDomainError(error)) {
    // Keep the port's own code (REPO_NOT_ALLOWED, BAD_REQUEST...) and say which step raised it.
    return new DomainError(error.code, `${name}: ${error.message}`, { ...error.details, contributor: name });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DomainError('CONTRIBUTOR_FAILED', `${name} failed: ${message}`, { contributor: name });
}

export interface CleanupFailure {
  contributor: string;
  message: string;
}

/**
 * Runs every contributor's cleanup in reverse pipeline order. A failing cleanup does not stop
 * the others: failures are returned for the caller to report.
 */
export async function runCleanups(
  contributors: readonly Contributor[],
  context: CleanupContext,
): Promise<CleanupFailure[]> {
  const failures: CleanupFailure[] = [];
  for (const contributor of [...contributors].reverse()) {
    if (!contributor.cleanup) continue;
    try {
      await contributor.cleanup(context);
    } catch (error) {
      failures.push({ contributor: contributor.name, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return failures;
}
