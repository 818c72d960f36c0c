import { type IPty, spawn as spawnPty } from 'node-pty';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { constantTimeEquals } from './basic-auth';
import type { RunAs } from './run-as';
import {
  ClientCommand,
  frame,
  parseFrame,
  parseJsonPayload,
  ServerCommand,
  ZTtydHandshake,
  ZTtydResize,
} from './ttyd-protocol';

export interface ShellSpec {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  terminalType: string;
  runAs: RunAs | undefined;
  /** Sent to the shell when its socket closes. */
  signal: NodeJS.Signals;
  writable: boolean;
  /** `SET_WINDOW_TITLE` payload. */
  title: string;
  /** `SET_PREFERENCES` payload (JSON). */
  preferences: string;
  /** base64(`user:pass`) the handshake's AuthToken must equal, when a credential is set. */
  token: string | undefined;
}

/** The handshake is a few dozen bytes; anything this large before it is not a ttyd client. */
export const MAX_HANDSHAKE_BYTES = 8 * 1024;
/** A pasted block of input can be large, but not this large. */
export const MAX_INPUT_FRAME_BYTES = 1024 * 1024;
/** A shell that ignores the disconnect signal is killed after this long. */
const KILL_GRACE_MS = 5_000;

// WebSocket close codes (RFC 6455 §7.4.1).
export const CloseCode = { NORMAL: 1000, GOING_AWAY: 1001, POLICY_VIOLATION: 1008, INTERNAL_ERROR: 1011 } as const;

const toBuffer = (data: RawData): Buffer =>
  Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);

/** A close reason must fit in 123 bytes. */
const reason = (text: string) => Buffer.from(text, 'utf8').subarray(0, 123).toString('utf8');

/**
 * One WebSocket connection of the ttyd protocol: waits for the JSON handshake, then runs one
 * shell on a pty for as long as both the socket and the shell live. Output is forwarded as
 * OUTPUT frames; input, resize and flow control arrive as command frames. Either side ending
 * ends the other: socket close → the shell gets `signal` (then SIGKILL if it lingers); shell
 * exit → close 1000 (exit 0) or 1011.
 */
export class TerminalConnection {
  private pty: IPty | null = null;
  private state: 'handshake' | 'running' | 'closed' = 'handshake';
  private paused = false;
  private killTimer: NodeJS.Timeout | null = null;
  private log: Logger;

  constructor(
    private readonly socket: WebSocket,
    private readonly spec: ShellSpec,
    logger: Logger,
  ) {
    this.log = logger;
    socket.on('message', (data) => this.onMessage(toBuffer(data)));
    socket.on('close', (code) => this.onSocketClose(code));
    socket.on('error', (error) => this.log.warn({ err: error }, 'websocket error'));
  }

  /** The shell's pid once it runs. */
  get pid(): number | undefined {
    return this.pty?.pid;
  }

  /** Server shutdown: tell the client and end the shell. */
  shutdown(): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(CloseCode.GOING_AWAY, 'server shutting down');
    this.killShell();
  }

  private refuse(message: string): void {
    this.log.warn({ reason: message }, 'closing connection: protocol violation before the handshake');
    this.state = 'closed';
    this.socket.close(CloseCode.POLICY_VIOLATION, reason(message));
  }

  private onMessage(data: Buffer): void {
    if (this.state === 'closed') return;
    if (this.state === 'handshake') {
      this.onHandshake(data);
      return;
    }
    if (data.length > MAX_INPUT_FRAME_BYTES + 1) {
      this.log.warn({ bytes: data.length }, 'ignoring oversize frame');
      return;
    }
    const parsed = parseFrame(data);
    if (!parsed) return void this.log.warn('ignoring empty frame');
    const pty = this.pty;
    if (!pty) return;
    switch (parsed.command) {
      case ClientCommand.INPUT:
        if (this.spec.writable) pty.write(parsed.payload);
        return;
      case ClientCommand.RESIZE_TERMINAL: {
        const size = parseJsonPayload(ZTtydResize, parsed.payload.toString('utf8'));
        if (!size.ok) return void this.log.warn({ error: size.error }, 'ignoring invalid resize');
        pty.resize(size.value.columns, size.value.rows);
        return;
      }
      case ClientCommand.PAUSE:
        if (!this.paused) {
          this.paused = true;
          pty.pause();
        }
        return;
      case ClientCommand.RESUME:
        if (this.paused) {
          this.paused = false;
          pty.resume();
        }
        return;
      case ClientCommand.JSON_DATA:
        // ttyd ignores a second handshake once the process runs.
        return void this.log.debug('ignoring handshake after start');
      default:
        this.log.warn({ command: parsed.command.charCodeAt(0) }, 'ignoring unknown command');
    }
  }

  private onHandshake(data: Buffer): void {
    if (data.length > MAX_HANDSHAKE_BYTES) {
      this.refuse('handshake too large');
      return;
    }
    if (data[0] !== ClientCommand.JSON_DATA.charCodeAt(0)) {
      this.refuse('expected the JSON handshake first');
      return;
    }
    const handshake = parseJsonPayload(ZTtydHandshake, data.toString('utf8'));
    if (!handshake.ok) {
      this.refuse(`invalid handshake: ${handshake.error}`);
      return;
    }
    const { token } = this.spec;
    if (token !== undefined && !constantTimeEquals(handshake.value.AuthToken ?? '', token)) {
      this.refuse('authentication failed');
      return;
    }
    const columns = handshake.value.columns ?? 80;
    const rows = handshake.value.rows ?? 24;
    const [file, ...args] = this.spec.command;
    let pty: IPty;
    try {
      pty = spawnPty(file ?? '/bin/sh', args, {
        name: this.spec.terminalType,
        cols: columns,
        rows,
        cwd: this.spec.cwd,
        env: this.spec.env,
        encoding: null,
        ...(this.spec.runAs ? { uid: this.spec.runAs.uid, gid: this.spec.runAs.gid } : {}),
      });
    } catch (error) {
      this.log.error({ err: error }, 'could not start the shell');
      this.state = 'closed';
      this.socket.close(CloseCode.INTERNAL_ERROR, reason(`could not start the shell: ${(error as Error).message}`));
      return;
    }
    this.pty = pty;
    this.state = 'running';
    this.log = this.log.child({ shellPid: pty.pid });
    this.log.info({ columns, rows, command: this.spec.command }, 'shell started');
    // Title and preferences go out before any output: node-pty emits data asynchronously.
    this.socket.send(frame(ServerCommand.SET_WINDOW_TITLE, this.spec.title));
    this.socket.send(frame(ServerCommand.SET_PREFERENCES, this.spec.preferences));
    // With encoding null node-pty hands out Buffers; its typings still say string.
    pty.onData((chunk: string | Buffer) => {
      if (this.socket.readyState === this.socket.OPEN) this.socket.send(frame(ServerCommand.OUTPUT, chunk));
    });
    pty.onExit(({ exitCode, signal }) => this.onShellExit(exitCode, signal));
  }

  private onShellExit(exitCode: number, signal: number | undefined): void {
    if (this.killTimer) clearTimeout(this.killTimer);
    this.killTimer = null;
    this.pty = null;
    const clean = exitCode === 0 && !signal;
    this.log.info({ exitCode, signal }, 'shell exited');
    if (this.state !== 'closed' && this.socket.readyState === this.socket.OPEN) {
      this.socket.close(
        clean ? CloseCode.NORMAL : CloseCode.INTERNAL_ERROR,
        clean ? 'process exited' : reason(`process exited with ${signal ? `signal ${signal}` : `code ${exitCode}`}`),
      );
    }
    this.state = 'closed';
  }

  private onSocketClose(code: number): void {
    this.log.info({ code }, 'websocket closed');
    this.state = 'closed';
    this.killShell();
  }

  private killShell(): void {
    const pty = this.pty;
    if (!pty || this.killTimer) return;
    // node-pty reports the exit only after reading the pty to its end, which a paused pty never does.
    if (this.paused) pty.resume();
    try {
      pty.kill(this.spec.signal);
    } catch (error) {
      this.log.warn({ err: error }, 'could not signal the shell');
    }
    this.killTimer = setTimeout(() => {
      this.log.warn({ signal: this.spec.signal }, 'shell ignored the signal; sending SIGKILL');
      try {
        pty.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }, KILL_GRACE_MS);
    this.killTimer.unref();
  }
}
