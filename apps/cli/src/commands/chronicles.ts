import { type Chronicle, type ListChroniclesInput, ZChronicleStatus } from '@volundr/contracts/chronicles';
import type { Command } from 'commander';
import { ApiClient } from '../api/api-client';
import { ApiCallError } from '../api/api-errors';
import { chronicleDetail, chronicleTable } from '../chronicles/chronicle-views';
import { bold, CliError, exitCodes, green } from '../output';
import { sessionUrls } from '../sessions/session-views';
import { waitForSession } from '../sessions/wait-for-session';
import { createProgress } from '../ui/spinner';
import { collect, examples, globalsOf, printJson } from './command-options';

interface ListFlags {
  repo?: string;
  model?: string;
  tag?: string[];
  status?: string;
  limit: string;
  json?: boolean;
}

async function listChronicles(
  api: ApiClient,
  filter: Omit<ListChroniclesInput, 'cursor' | 'limit'>,
  max: number,
): Promise<Chronicle[]> {
  const items: Chronicle[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.query('chronicles.list', {
      ...filter,
      limit: Math.min(100, max - items.length),
      ...(cursor ? { cursor } : {}),
    });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < max);
  return items;
}

/** A chronicle by id, else the newest chronicle of the session with that name. */
async function resolveChronicleId(api: ApiClient, ref: string): Promise<string> {
  try {
    await api.query('chronicles.byId', { id: ref });
    return ref;
  } catch (error) {
    if (
      !(error instanceof ApiCallError) ||
      !['CHRONICLE_NOT_FOUND', 'NOT_FOUND', 'VALIDATION_FAILED'].includes(error.code)
    )
      throw error;
  }
  const found = (await listChronicles(api, {}, 500)).find((c) => c.sessionName === ref || c.sessionId === ref);
  if (!found) throw new CliError(`no chronicle "${ref}"`, 'list them: volundr chronicles ls');
  return found.id;
}

export function registerChronicleCommands(program: Command): void {
  const chronicles = program
    .command('chronicles')
    .alias('chronicle')
    .description('What sessions did (summary, files, commits, tokens), and reforging a new session from it')
    .addHelpText(
      'after',
      examples(
        'volundr chronicles ls',
        'volundr chronicles show demo',
        'volundr chronicles reforge chr_123 --name demo-2',
      ),
    );

  chronicles
    .command('ls')
    .alias('list')
    .description('List chronicles, newest first')
    .option('--repo <repo>', 'only this repository (URL or project name)')
    .option('--model <model>', 'only this model')
    .option('--tag <tag>', 'only chronicles with this tag (repeatable)', collect)
    .option('--status <status>', 'draft or complete')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print as a JSON array')
    .addHelpText(
      'after',
      examples('volundr chronicles ls', 'volundr chronicles ls --repo app --status complete --json'),
    )
    .action(async (options: ListFlags, command: Command) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new CliError(`--limit must be a positive number`, undefined, exitCodes.usage);
      const status = options.status === undefined ? undefined : ZChronicleStatus.safeParse(options.status).data;
      if (options.status !== undefined && !status) {
        throw new CliError(`--status must be draft or complete, not "${options.status}"`, undefined, exitCodes.usage);
      }
      const api = ApiClient.fromOptions(globalsOf(command));
      const items = await listChronicles(
        api,
        {
          ...(options.repo ? { repo: options.repo } : {}),
          ...(options.model ? { model: options.model } : {}),
          ...(options.tag?.length ? { tags: options.tag } : {}),
          ...(status ? { status } : {}),
        },
        limit,
      );
      if (options.json) return printJson(items);
      if (items.length === 0)
        return void process.stdout.write('No chronicles yet: they are written as sessions work.\n');
      process.stdout.write(chronicleTable(items));
    });

  chronicles
    .command('show')
    .description("Show a chronicle (by id, or a session's name for its newest chronicle)")
    .argument('<chronicle>', 'chronicle id, or session name')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples('volundr chronicles show chr_123', 'volundr chronicles show demo --json'))
    .action(async (ref: string, options: { json?: boolean }, command: Command) => {
      const api = ApiClient.fromOptions(globalsOf(command));
      const id = await resolveChronicleId(api, ref);
      const detail = await api.query('chronicles.byId', { id });
      if (options.json) return printJson(detail);
      process.stdout.write(chronicleDetail(detail));
    });

  chronicles
    .command('reforge')
    .description('Start a new session where a chronicle left off (same repo, branch, model; its summary as context)')
    .argument('<chronicle>', 'chronicle id, or session name')
    .option('--name <name>', 'name of the new session (default: the old name with -reforged)')
    .option('--no-wait', 'return as soon as it is created')
    .option('--timeout <seconds>', 'how long to wait for it to run', '600')
    .option('--json', 'print the new session as JSON')
    .addHelpText(
      'after',
      examples('volundr chronicles reforge demo', 'volundr chronicles reforge chr_123 --name demo-2 --no-wait'),
    )
    .action(
      async (
        ref: string,
        options: { name?: string; wait: boolean; timeout: string; json?: boolean },
        command: Command,
      ) => {
        const timeoutMs = Number(options.timeout) * 1000;
        if (!(timeoutMs > 0))
          throw new CliError(`--timeout must be a positive number of seconds`, undefined, exitCodes.usage);
        const api = ApiClient.fromOptions(globalsOf(command));
        const id = await resolveChronicleId(api, ref);
        let session = await api.mutate('chronicles.reforge', { id, ...(options.name ? { name: options.name } : {}) });
        if (options.wait && session.state !== 'running') {
          session = await waitForSession(api, session, {
            until: ['running'],
            since: session.createdAt,
            timeoutMs,
            progress: createProgress(),
          });
        }
        if (options.json) return printJson(session);
        process.stdout.write(
          `${green('Reforged')} ${id} as ${bold(session.name)} (${session.state})\n${session.state === 'running' ? sessionUrls(api.server, session) : ''}`,
        );
      },
    );
}
