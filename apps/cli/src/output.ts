const useColor = () => !process.env.NO_COLOR && process.stdout.isTTY === true;

const paint = (code: string) => (text: string) => (useColor() ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint('1');
export const dim = paint('2');
export const red = paint('31');
export const green = paint('32');
export const yellow = paint('33');
export const cyan = paint('36');

/** An error meant for the person at the terminal: one line, an optional hint, an exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Documented exit codes (docs/cli.md). */
export const exitCodes = {
  ok: 0,
  /** Anything else that went wrong, including an unknown session or a refused request. */
  failure: 1,
  usage: 2,
  /** The server (or its identity provider) cannot be reached or did not answer. */
  unreachable: 3,
  /** Not logged in, the login expired and could not be refreshed, or the token was refused. */
  unauthenticated: 4,
  /** The work itself failed: a session ended `failed`, a chat turn ended `turn_failed`. */
  workFailed: 5,
  /** Cancelled with Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;
