import type { Session } from '@volundr/contracts/sessions';
import WebSocket from 'ws';
import { z } from 'zod';
import type { ApiClient } from '../api/api-client';
import { CliError, dim, exitCodes } from '../output';
import { endpointUrl } from '../sessions/session-views';

/** ttyd command bytes (../shared/reference/cli-protocols.md §3). */
const OUTPUT = 0x30; // '0' server→client; INPUT from the client
const SET_WINDOW_TITLE = 0x31; // '1'
const INPUT = '0';
const RESIZE = '1';

const ZTokenAnswer = z.object({ token: z.string() });
const ZRefusal = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export interface AttachOptions {
  detachByte: number;
  detachLabel: string;
}

/**
 * Connects this terminal to the session's terminal (ttyd protocol through the gateway): raw
 * mode, every key sent as typed (Ctrl-C included), the window size sent at start and on each
 * resize, the detach key leaves. Resolves with the exit code.
 */
export async function attachTerminal(api: ApiClient, session: Session, options: AttachOptions): Promise<number> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  if (!stdin.isTTY || !stdout.isTTY) {
    throw new CliError(
      'attach needs a terminal (stdin and stdout)',
      'run it in an interactive terminal',
      exitCodes.usage,
    );
  }
  if (session.state !== 'running') {
    throw new CliError(
      `session ${session.name} is not running (${session.state})`,
      `start it with: volundr sessions start ${session.name}`,
    );
  }
  if (!session.endpoints?.terminal) throw new CliError(`session ${session.name} has no terminal`);
  const base = endpointUrl(api.server, session.endpoints.terminal).replace(/\/+$/, '');

  const answer = await api.fetch(`${base}/token`);
  const body = await api.json(answer, 'the terminal token');
  if (!answer.ok) {
    const refusal = ZRefusal.safeParse(body);
    throw new CliError(
      refusal.success ? refusal.data.error.message : `the terminal of ${session.name} answered HTTP ${answer.status}`,
      answer.status === 401 ? 'log in again with: volundr login' : undefined,
      answer.status === 401 ? exitCodes.unauthenticated : exitCodes.failure,
    );
  }
  const authToken = api.validate(ZTokenAnswer, body, 'the terminal token').token;
  const bearer = await api.tokens.token();

  const socket = new WebSocket(`${base.replace(/^http/i, 'ws')}/ws`, ['tty'], {
    headers: { authorization: `Bearer ${bearer}` },
    handshakeTimeout: 10_000,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new CliError(`the terminal of ${session.name} refused the connection (HTTP ${res.statusCode})`));
    });
    socket.once('error', (error) =>
      reject(new CliError(`cannot connect to the terminal: ${error.message}`, undefined, exitCodes.unreachable)),
    );
  });

  const send = (text: string | Buffer) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  };
  const size = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  send(JSON.stringify({ AuthToken: authToken, ...size() }));
  process.stderr.write(dim(`Attached to ${session.name}'s terminal. Detach with ${options.detachLabel}.\r\n`));

  let detached = false;
  const onResize = () => send(`${RESIZE}${JSON.stringify(size())}`);
  const onInput = (data: Buffer) => {
    const at = data.indexOf(options.detachByte);
    if (at >= 0) {
      if (at > 0) send(Buffer.concat([Buffer.from(INPUT), data.subarray(0, at)]));
      detached = true;
      socket.close(1000, 'detached');
      return;
    }
    send(Buffer.concat([Buffer.from(INPUT), data]));
  };

  stdin.setRawMode(true);
  stdin.resume();
  stdin.on('data', onInput);
  stdout.on('resize', onResize);
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    const frame = isBinary ? data : Buffer.from(data);
    if (frame[0] === OUTPUT) stdout.write(frame.subarray(1));
    else if (frame[0] === SET_WINDOW_TITLE) stdout.write(`\x1b]0;${frame.subarray(1).toString('utf8')}\x07`);
  });

  const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('error', () => {});
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
  });
  stdin.off('data', onInput);
  stdout.off('resize', onResize);
  stdin.setRawMode(false);
  stdin.pause();
  if (detached) {
    process.stderr.write(`\r\n${dim(`Detached from ${session.name}.`)}\r\n`);
    return exitCodes.ok;
  }
  if (closed.code === 1000) {
    process.stderr.write(`\r\n${dim('The terminal closed.')}\r\n`);
    return exitCodes.ok;
  }
  process.stderr.write(`\r\n`);
  throw new CliError(
    `the terminal connection closed (${closed.code}${closed.reason ? `: ${closed.reason}` : ''})`,
    `attach again: volundr attach ${session.name}`,
    exitCodes.unreachable,
  );
}
