import {
  SESSION_STATES,
  type Session,
  type SessionState,
  ZCreateSessionInput,
  ZSessionState,
} from '@volundr/contracts/sessions';
import type { Command } from 'commander';
import { ApiClient } from '../api/api-client';
import { bold, CliError, dim, exitCodes, green } from '../output';
import {
  changeSession,
  deleteSession,
  type LifecycleVerb,
  listSessions,
  resolveSession,
} from '../sessions/session-api';
import { sessionDetail, sessionTable, sessionUrls } from '../sessions/session-views';
import { waitForSession } from '../sessions/wait-for-session';
import { confirm } from '../ui/confirm';
import { createProgress } from '../ui/spinner';
import { collect, examples, globalsOf, printJson } from './command-options';

interface WaitFlags {
  wait: boolean;
  timeout: string;
  json?: boolean;
}

const flagOfField: Record<string, string> = {
  name: 'NAME',
  model: '--model',
  source: '--repo/--branch',
  templateName: '--template',
  profileName: '--profile',
  presetId: '--preset',
  systemPrompt: '--system-prompt',
  initialPrompt: '--prompt',
  idleTimeoutMinutes: '--idle-timeout',
};

function seconds(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new CliError(`${flag} must be a positive number of seconds, not "${value}"`, undefined, exitCodes.usage);
  return n * 1000;
}

function states(values: string[] | undefined): SessionState[] | undefined {
  if (!values?.length) return undefined;
  return values.map((v) => {
    const parsed = ZSessionState.safeParse(v);
    if (!parsed.success)
      throw new CliError(`unknown state "${v}"`, `states: ${SESSION_STATES.join(', ')}`, exitCodes.usage);
    return parsed.data;
  });
}

/** Waits (unless --no-wait) and prints the outcome: JSON, or a line and the session's URLs. */
async function finish(api: ApiClient, session: Session, until: SessionState, flags: WaitFlags, since: string) {
  let result = session;
  if (flags.wait && session.state !== until) {
    result = await waitForSession(api, session, {
      until: [until],
      since,
      timeoutMs: seconds(flags.timeout, '--timeout'),
      progress: createProgress(),
    });
  }
  if (flags.json) return printJson(result);
  if (result.state === 'running') {
    process.stdout.write(`${green('Session')} ${bold(result.name)} is running\n${sessionUrls(api.server, result)}`);
  } else if (until === 'archived' && result.state !== 'archived') {
    process.stdout.write(`Session ${bold(result.name)} is ${result.state}; it is archived once stopped\n`);
  } else {
    process.stdout.write(`Session ${bold(result.name)} is ${result.state}\n`);
    if (!flags.wait && until !== result.state)
      process.stdout.write(dim(`follow it with: volundr sessions show ${result.name}\n`));
  }
}

export function registerSessionCommands(program: Command): void {
  const sessions = program
    .command('sessions')
    .alias('session')
    .description('Create, list, start, stop and remove sessions')
    .addHelpText(
      'after',
      examples(
        'volundr sessions create demo --model claude-sonnet-4-5 --repo https://github.com/acme/app --branch main',
        'volundr sessions ls',
        'volundr sessions ls --json | jq -r ".[].name"',
        'volundr sessions stop demo',
      ),
    );

  sessions
    .command('ls')
    .alias('list')
    .description("List sessions: yours (a tenant admin's list has the tenant's); archived ones with --all")
    .option('-a, --all', 'include archived sessions')
    .option('--state <state>', 'only sessions in this state (repeatable)', collect)
    .option('--json', 'print the sessions as a JSON array')
    .addHelpText('after', examples('volundr sessions ls', 'volundr sessions ls --state running --json'))
    .action(async (options: { all?: boolean; state?: string[]; json?: boolean }, command: Command) => {
      const api = ApiClient.fromOptions(globalsOf(command));
      const wanted = states(options.state);
      const items = await listSessions(api, {
        includeArchived: options.all === true,
        ...(wanted ? { states: wanted } : {}),
      });
      if (options.json) return printJson(items);
      if (items.length === 0) {
        process.stdout.write(`No sessions. Create one: volundr sessions create NAME --model MODEL\n`);
        return;
      }
      process.stdout.write(sessionTable(items));
    });

  sessions
    .command('show')
    .description('Show one session (by name or id)')
    .argument('<session>', 'session name or id')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples('volundr sessions show demo', 'volundr sessions show demo --json'))
    .action(async (ref: string, options: { json?: boolean }, command: Command) => {
      const api = ApiClient.fromOptions(globalsOf(command));
      const session = await resolveSession(api, ref);
      if (options.json) return printJson(session);
      process.stdout.write(sessionDetail(api.server, session));
    });

  sessions
    .command('create')
    .description('Create a session and start it, showing its progress until it runs')
    .argument('<name>', 'session name: lower-case letters, digits and "-"')
    .requiredOption('-m, --model <model>', 'model id (it decides the CLI: Claude Code or Codex)')
    .option('--repo <url>', 'git repository to clone into the workspace (default: a blank workspace)')
    .option('--branch <branch>', 'branch to work on (with --repo)', 'main')
    .option('--base-branch <branch>', 'branch to start the work branch from')
    .option('--template <name>', 'template to launch from')
    .option('--profile <name>', 'resource profile')
    .option('--preset <id>', 'preset to apply')
    .option('--prompt <text>', 'first message for the agent')
    .option('--system-prompt <text>', 'extra system prompt')
    .option('--idle-timeout <minutes>', 'stop after this many idle minutes')
    .option('--no-start', 'only create it (state "created")')
    .option('--no-wait', 'return as soon as it is created')
    .option('--timeout <seconds>', 'how long to wait for it to run', '600')
    .option('--json', 'print the session as JSON')
    .addHelpText(
      'after',
      examples(
        'volundr sessions create demo --model claude-sonnet-4-5',
        'volundr sessions create fix-login --model claude-sonnet-4-5 --repo https://github.com/acme/app --branch fix/login',
        'volundr sessions create later --model gpt-5-codex --no-start',
        'volundr sessions create ci-run --model claude-sonnet-4-5 --no-wait --json',
      ),
    )
    .action(async (name: string, options: CreateFlags, command: Command) => {
      const input = createInput(name, options);
      const api = ApiClient.fromOptions(globalsOf(command));
      const created = await api.mutate('sessions.create', input);
      if (!options.start) {
        if (options.json) return printJson(created);
        process.stdout.write(
          `Created session ${bold(created.name)} (${created.id}); start it: volundr sessions start ${created.name}\n`,
        );
        return;
      }
      await finish(api, created, 'running', options, created.createdAt);
    });

  const lifecycle = (
    verb: LifecycleVerb,
    description: string,
    until: SessionState,
    waits: boolean,
    example: string,
  ) => {
    const sub = sessions
      .command(verb)
      .description(description)
      .argument('<session>', 'session name or id')
      .option('--json', 'print the session as JSON');
    if (waits) {
      sub
        .option('--no-wait', 'return as soon as the server accepted it')
        .option('--timeout <seconds>', `how long to wait for it to be ${until}`, '600');
    }
    sub.addHelpText('after', examples(example)).action(async (ref: string, options: WaitFlags, command: Command) => {
      const api = ApiClient.fromOptions(globalsOf(command));
      const session = await resolveSession(api, ref);
      const changed = await changeSession(api, verb, session.id);
      await finish(api, changed, until, { ...options, wait: waits && options.wait !== false }, changed.updatedAt);
    });
  };
  lifecycle(
    'start',
    'Start a created, stopped or failed session and show its progress',
    'running',
    true,
    'volundr sessions start demo',
  );
  lifecycle('stop', 'Stop a session (its workspace is kept)', 'stopped', true, 'volundr sessions stop demo --no-wait');
  lifecycle(
    'archive',
    'Archive a session (an active one is stopped first)',
    'archived',
    false,
    'volundr sessions archive demo',
  );
  lifecycle('restore', 'Bring an archived session back (stopped)', 'stopped', false, 'volundr sessions restore demo');

  sessions
    .command('rm')
    .alias('delete')
    .description('Delete a session (its workspace and chronicles are kept unless asked)')
    .argument('<session>', 'session name or id')
    .option('--delete-workspace', 'also delete its workspace volume')
    .option('--delete-chronicles', 'also delete its chronicles')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples('volundr sessions rm demo', 'volundr sessions rm demo --delete-workspace --yes'))
    .action(
      async (
        ref: string,
        options: { deleteWorkspace?: boolean; deleteChronicles?: boolean; yes?: boolean; json?: boolean },
        command: Command,
      ) => {
        const api = ApiClient.fromOptions(globalsOf(command));
        const session = await resolveSession(api, ref);
        if (!options.yes) {
          if (!process.stdin.isTTY) {
            throw new CliError(
              `not deleting ${session.name} without confirmation`,
              'pass --yes to delete without a prompt',
              exitCodes.usage,
            );
          }
          if (!(await confirm(`Delete session ${session.name} (${session.state})?`))) {
            throw new CliError('not deleted', undefined, exitCodes.failure);
          }
        }
        const cleanup = [
          ...(options.deleteWorkspace ? (['workspace_storage'] as const) : []),
          ...(options.deleteChronicles ? (['chronicles'] as const) : []),
        ];
        const result = await deleteSession(api, session.id, cleanup);
        if (options.json) return printJson(result);
        process.stdout.write(`Deleted session ${session.name} (${result.id})\n`);
      },
    );
}

interface CreateFlags extends WaitFlags {
  model: string;
  repo?: string;
  branch: string;
  baseBranch?: string;
  template?: string;
  profile?: string;
  preset?: string;
  prompt?: string;
  systemPrompt?: string;
  idleTimeout?: string;
  start: boolean;
}

/** The create input from the flags, validated here so a mistake names the flag. */
function createInput(name: string, o: CreateFlags) {
  const idle = o.idleTimeout === undefined ? undefined : Number(o.idleTimeout);
  const parsed = ZCreateSessionInput.safeParse({
    name,
    model: o.model,
    source: o.repo
      ? { type: 'git', repo: o.repo, branch: o.branch, ...(o.baseBranch ? { baseBranch: o.baseBranch } : {}) }
      : { type: 'blank' },
    ...(o.template ? { templateName: o.template } : {}),
    ...(o.profile ? { profileName: o.profile } : {}),
    ...(o.preset ? { presetId: o.preset } : {}),
    ...(o.prompt ? { initialPrompt: o.prompt } : {}),
    ...(o.systemPrompt ? { systemPrompt: o.systemPrompt } : {}),
    ...(idle !== undefined ? { idleTimeoutMinutes: idle } : {}),
    start: o.start,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    const flag = field === 'source' && issue?.path[1] === 'branch' ? '--branch' : (flagOfField[field] ?? field);
    throw new CliError(`${flag}: ${issue?.message}`, 'see: volundr sessions create --help', exitCodes.usage);
  }
  if (!o.repo && o.baseBranch) throw new CliError('--base-branch needs --repo', undefined, exitCodes.usage);
  return parsed.data;
}
