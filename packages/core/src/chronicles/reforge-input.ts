import { MAX_PROMPT_CHARS } from '@volundr/contracts/profiles';
import type { CreateSessionInput, ZCreateSessionInput } from '@volundr/contracts/sessions';
import type { z } from 'zod';
import type { ChronicleRecord } from './chronicle-record';

const SUFFIX = '-reforged';
const MAX_NAME = 63;

/**
 * The default name of a reforged session: the previous name (without an earlier reforge
 * suffix) + `-reforged`, then `-reforged-2`, `-reforged-3`… when taken; always a valid
 * RFC 1123 label of at most 63 characters.
 */
export function reforgeName(previous: string | null, attempt: number): string {
  const base =
    (previous ?? 'session')
      .replace(/-reforged(-\d+)?$/, '')
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'session';
  const suffix = attempt <= 1 ? SUFFIX : `${SUFFIX}-${attempt}`;
  return `${base.slice(0, MAX_NAME - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/** The new session's initial prompt: the previous summary and unfinished work to carry on from. */
export function reforgePrompt(chronicle: ChronicleRecord): string {
  const where = chronicle.repo ? ` on ${chronicle.repo}${chronicle.branch ? ` (branch ${chronicle.branch})` : ''}` : '';
  const sections = [
    `This session continues the work of a previous session${chronicle.sessionName ? ` "${chronicle.sessionName}"` : ''}${where}. Pick up where it stopped.`,
  ];
  if (chronicle.summary) sections.push(`What was done:\n${chronicle.summary}`);
  if (chronicle.keyChanges.length > 0)
    sections.push(`Key changes:\n${chronicle.keyChanges.map((change) => `- ${change}`).join('\n')}`);
  sections.push(`Unfinished work:\n${chronicle.unfinishedWork?.trim() || '(none recorded)'}`);
  const prompt = sections.join('\n\n');
  return prompt.length > MAX_PROMPT_CHARS ? `${prompt.slice(0, MAX_PROMPT_CHARS - 1)}…` : prompt;
}

/** A session with the chronicle's repository, branch, model, template and profile, started at once. */
export function reforgeSessionInput(
  chronicle: ChronicleRecord,
  name: string,
): z.input<typeof ZCreateSessionInput> & Pick<CreateSessionInput, 'start'> {
  return {
    name,
    model: chronicle.model ?? '',
    source: chronicle.repo
      ? { type: 'git', repo: chronicle.repo, branch: chronicle.branch ?? 'main' }
      : { type: 'blank' },
    ...(chronicle.templateName ? { templateName: chronicle.templateName } : {}),
    ...(chronicle.profileName ? { profileName: chronicle.profileName } : {}),
    initialPrompt: reforgePrompt(chronicle),
    start: true,
  };
}
