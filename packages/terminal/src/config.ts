import { constants } from 'node:os';
import { z } from 'zod';

/** `HUP`, `sighup`, `SIGHUP` or `1` → `SIGHUP`; null when there is no such signal. */
function signalName(value: string): NodeJS.Signals | null {
  const signals = constants.signals as Record<string, number>;
  if (/^\d+$/.test(value)) {
    const found = Object.entries(signals).find(([, number]) => number === Number(value));
    return found ? (found[0] as NodeJS.Signals) : null;
  }
  const name = value.toUpperCase().startsWith('SIG') ? value.toUpperCase() : `SIG${value.toUpperCase()}`;
  return name in signals ? (name as NodeJS.Signals) : null;
}

/**
 * The terminal server's options: ttyd's flags where ttyd has one (same letters and meaning),
 * each also readable from a `VOLUNDR_TERMINAL_*` variable so a supervisor can keep the
 * credential out of the process list. Validated once, here.
 */
export const ZTerminalConfig = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(7681),
  host: z.string().min(1).default('127.0.0.1'),
  basePath: z
    .string()
    .max(128, 'at most 128 characters (as ttyd)')
    .transform((value) => value.replace(/\/+$/, ''))
    .refine((value) => value === '' || /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(value), {
      message: 'must start with "/" and contain only URL path characters',
    })
    .refine((value) => !value.split('/').some((segment) => segment === '.' || segment === '..'), {
      message: 'must not contain "." or ".." segments',
    })
    .default(''),
  credential: z
    .string()
    .regex(/^[^:]+:.+$/, 'must be user:password')
    .optional(),
  uid: z.coerce.number().int().min(0).optional(),
  gid: z.coerce.number().int().min(0).optional(),
  signal: z
    .string()
    .transform((value, ctx) => {
      const name = signalName(value);
      if (name === null) {
        ctx.addIssue({ code: 'custom', message: `unknown signal "${value}"` });
        return z.NEVER;
      }
      return name;
    })
    .default('SIGHUP'),
  cwd: z.string().min(1).default(process.cwd()),
  clientOptions: z.record(z.string().min(1), z.unknown()).default({}),
  terminalType: z.string().min(1).default('xterm-256color'),
  writable: z.boolean().default(true),
  checkOrigin: z.boolean().default(false),
  maxClients: z.coerce.number().int().min(0).default(0),
  pingIntervalSeconds: z.coerce.number().min(0).default(5),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'invalid variable name'), z.string()).default({}),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  command: z.array(z.string().min(1)).min(1),
});
export type TerminalConfig = z.infer<typeof ZTerminalConfig>;
export type TerminalConfigInput = z.input<typeof ZTerminalConfig>;

export const TERMINAL_USAGE = `usage: volundr-terminal [options] [--] [command [args...]]

Speaks ttyd's (>= 1.7) WebSocket protocol; one shell per connection.
  -p, --port <n>             listen port (default 7681; 0 = any free port)       VOLUNDR_TERMINAL_PORT
  -i, --interface <host>     listen address (default 127.0.0.1)                  VOLUNDR_TERMINAL_INTERFACE
  -b, --base-path <prefix>   path prefix of every route, as ttyd -b              VOLUNDR_TERMINAL_BASE_PATH
  -c, --credential <u:p>     HTTP Basic credential, also the WS AuthToken         VOLUNDR_TERMINAL_CREDENTIAL
  -u, --uid <n>              run the shell as this user id                       VOLUNDR_TERMINAL_UID
  -g, --gid <n>              run the shell with this group id                    VOLUNDR_TERMINAL_GID
  -s, --signal <name>        signal sent to the shell on disconnect (SIGHUP)     VOLUNDR_TERMINAL_SIGNAL
  -w, --cwd <dir>            the shell's working directory                       VOLUNDR_TERMINAL_CWD
  -t, --client-option k=v    client preference (value parsed as JSON if it can be); repeatable
  -T, --terminal-type <t>    TERM for the shell (xterm-256color)                 VOLUNDR_TERMINAL_TERM
  -W, --writable             accept input (the default here; ttyd's default is read-only)
  -R, --readonly             ignore input
  -O, --check-origin         refuse WebSocket upgrades whose Origin host differs from Host
  -m, --max-clients <n>      refuse connections beyond n (0 = unlimited)          VOLUNDR_TERMINAL_MAX_CLIENTS
  -P, --ping-interval <s>    WebSocket ping interval in seconds (5; 0 = off)
  -e, --env KEY=VALUE        extra environment for the shell; repeatable
      --log-level <level>    trace|debug|info|warn|error|fatal|silent (info)      VOLUNDR_TERMINAL_LOG_LEVEL
  -h, --help
The command defaults to $SHELL, else /bin/bash.`;

type Flag = { key: keyof TerminalConfigInput; takesValue: boolean };

const flags: Record<string, Flag> = {
  '-p': { key: 'port', takesValue: true },
  '--port': { key: 'port', takesValue: true },
  '-i': { key: 'host', takesValue: true },
  '--interface': { key: 'host', takesValue: true },
  '-b': { key: 'basePath', takesValue: true },
  '--base-path': { key: 'basePath', takesValue: true },
  '-c': { key: 'credential', takesValue: true },
  '--credential': { key: 'credential', takesValue: true },
  '-u': { key: 'uid', takesValue: true },
  '--uid': { key: 'uid', takesValue: true },
  '-g': { key: 'gid', takesValue: true },
  '--gid': { key: 'gid', takesValue: true },
  '-s': { key: 'signal', takesValue: true },
  '--signal': { key: 'signal', takesValue: true },
  '-w': { key: 'cwd', takesValue: true },
  '--cwd': { key: 'cwd', takesValue: true },
  '-t': { key: 'clientOptions', takesValue: true },
  '--client-option': { key: 'clientOptions', takesValue: true },
  '-T': { key: 'terminalType', takesValue: true },
  '--terminal-type': { key: 'terminalType', takesValue: true },
  '-W': { key: 'writable', takesValue: false },
  '--writable': { key: 'writable', takesValue: false },
  '-R': { key: 'writable', takesValue: false },
  '--readonly': { key: 'writable', takesValue: false },
  '-O': { key: 'checkOrigin', takesValue: false },
  '--check-origin': { key: 'checkOrigin', takesValue: false },
  '-m': { key: 'maxClients', takesValue: true },
  '--max-clients': { key: 'maxClients', takesValue: true },
  '-P': { key: 'pingIntervalSeconds', takesValue: true },
  '--ping-interval': { key: 'pingIntervalSeconds', takesValue: true },
  '-e': { key: 'env', takesValue: true },
  '--env': { key: 'env', takesValue: true },
  '--log-level': { key: 'logLevel', takesValue: true },
};

const envNames: Partial<Record<keyof TerminalConfigInput, string>> = {
  port: 'VOLUNDR_TERMINAL_PORT',
  host: 'VOLUNDR_TERMINAL_INTERFACE',
  basePath: 'VOLUNDR_TERMINAL_BASE_PATH',
  credential: 'VOLUNDR_TERMINAL_CREDENTIAL',
  uid: 'VOLUNDR_TERMINAL_UID',
  gid: 'VOLUNDR_TERMINAL_GID',
  signal: 'VOLUNDR_TERMINAL_SIGNAL',
  cwd: 'VOLUNDR_TERMINAL_CWD',
  terminalType: 'VOLUNDR_TERMINAL_TERM',
  maxClients: 'VOLUNDR_TERMINAL_MAX_CLIENTS',
  logLevel: 'VOLUNDR_TERMINAL_LOG_LEVEL',
};

/** Variables that configure this server; they are not passed on to the shell. */
export const TERMINAL_ENV_PREFIX = 'VOLUNDR_TERMINAL_';

export type ParsedArgs =
  | { kind: 'config'; config: TerminalConfig }
  | { kind: 'help' }
  | { kind: 'error'; error: string };

/** `key=value` → [key, value]; the client-option value is JSON when it parses, as ttyd does. */
function splitPair(flag: string, raw: string, parseJson: boolean): [string, unknown] | string {
  const at = raw.indexOf('=');
  if (at <= 0) return `${flag} expects key=value, got "${raw}"`;
  const key = raw.slice(0, at);
  const value = raw.slice(at + 1);
  if (!parseJson) return [key, value];
  try {
    return [key, JSON.parse(value)];
  } catch {
    return [key, value];
  }
}

/** Parses argv (without node and script) and the environment into a validated config. */
export function parseTerminalArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedArgs {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const clientOptions: Record<string, unknown> = {};
  const extraEnv: Record<string, string> = {};
  let command: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      command = argv.slice(i + 1);
      break;
    }
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if (!arg.startsWith('-') || arg === '-') {
      // ttyd stops at the first non-option: everything after it belongs to the command.
      command = argv.slice(i);
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = flags[name];
    if (!flag) return { kind: 'error', error: `unknown option ${name}` };
    if (!flag.takesValue) {
      if (eq > 0) return { kind: 'error', error: `${name} takes no value` };
      raw[flag.key] = !(name === '-R' || name === '--readonly');
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined) return { kind: 'error', error: `${name} needs a value` };
    if (flag.key === 'clientOptions' || flag.key === 'env') {
      const pair = splitPair(name, value, flag.key === 'clientOptions');
      if (typeof pair === 'string') return { kind: 'error', error: pair };
      if (flag.key === 'clientOptions') clientOptions[pair[0]] = pair[1];
      else extraEnv[pair[0]] = String(pair[1]);
      continue;
    }
    raw[flag.key] = value;
  }
  raw.clientOptions = clientOptions;
  raw.env = extraEnv;
  raw.command = command.length > 0 ? command : [env.SHELL || '/bin/bash'];

  const parsed = ZTerminalConfig.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const source = envNames[key as keyof TerminalConfigInput];
      return `${key}${source ? ` (flag or ${source})` : ''}: ${issue.message}`;
    });
    return { kind: 'error', error: `invalid options: ${issues.join('; ')}` };
  }
  return { kind: 'config', config: parsed.data };
}
