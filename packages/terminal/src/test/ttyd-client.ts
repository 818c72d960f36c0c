import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

/**
 * A ttyd (>= 1.7) protocol client for tests, written from the protocol description
 * (../shared/reference/cli-protocols.md §3) and deliberately independent of the server's own
 * modules: the command bytes and URLs are spelled out here, so a server that drifted from the
 * protocol fails against it. Works against volundr-terminal, the real ttyd, or either behind
 * a gateway (pass the gateway's headers).
 */

export interface TtydConnectOptions {
  /** The terminal page URL, e.g. `http://127.0.0.1:7681/s/x/terminal/` (the trailing slash is optional). */
  url: string;
  /** `user:pass`: sent as HTTP Basic on `/token` and on the WebSocket upgrade. */
  credential?: string;
  /** Extra headers for both requests (e.g. a gateway's `Authorization: Bearer …`). */
  headers?: Record<string, string>;
  /** The handshake's AuthToken; by default whatever `GET <base>/token` returned. */
  authToken?: string;
  columns?: number;
  rows?: number;
  /** Default `['tty']`. */
  protocols?: string[];
  /** Deadline for the upgrade and the two initial messages (default 10 s). */
  timeoutMs?: number;
}

export interface TtydClose {
  code: number;
  reason: string;
}

export interface WaitOptions {
  /** Only output after this offset counts (from `mark()`); default: all output so far. */
  since?: number;
  timeoutMs?: number;
}

/** `http(s)://host/base/` → the ws URL and token URL ttyd's browser client would use. */
export function ttydUrls(pageUrl: string): { wsUrl: string; tokenUrl: string } {
  const url = new URL(pageUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const wsScheme = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return {
    wsUrl: `${wsScheme}//${url.host}${path}/ws${url.search}`,
    tokenUrl: `${url.protocol}//${url.host}${path}/token`,
  };
}

/** The server answered the upgrade with an HTTP status instead of 101. */
export class UpgradeRefusedError extends Error {
  override readonly name = 'UpgradeRefusedError';
  constructor(readonly status: number) {
    super(`upgrade refused: HTTP ${status}`);
  }
}

const basic = (credential: string) => `Basic ${Buffer.from(credential, 'utf8').toString('base64')}`;

interface Waiter {
  pattern: string | RegExp;
  since: number;
  /** For string patterns: output before this offset was already searched. */
  searchedTo: number;
  resolve: (text: string) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class TtydClient {
  private text = '';
  private bytes = 0;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly waiters = new Set<Waiter>();
  private closeInfo: TtydClose | null = null;
  /** Frames other than OUTPUT received after the initial two (command byte + payload text). */
  readonly otherFrames: string[] = [];
  title = '';
  preferences: Record<string, unknown> = {};
  /** Settles when the socket closes, with the server's close code. */
  readonly closed: Promise<TtydClose>;

  private constructor(private readonly socket: WebSocket) {
    // Errors surface as the close that follows; without a listener ws would throw them.
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString('utf8') };
        for (const waiter of this.waiters) this.failWaiter(waiter, `socket closed (${code})`);
        resolve(this.closeInfo);
      });
    });
  }

  /**
   * Fetches the token, opens `<base>/ws` with the subprotocol, sends the JSON handshake and
   * waits for the window title and the preferences.
   */
  static async connect(options: TtydConnectOptions): Promise<TtydClient> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const { wsUrl, tokenUrl } = ttydUrls(options.url);
    const headers: Record<string, string> = { ...options.headers };
    if (options.credential !== undefined) headers.Authorization = basic(options.credential);

    let authToken = options.authToken;
    if (authToken === undefined) {
      const response = await fetch(tokenUrl, { headers, signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`GET ${tokenUrl} answered ${response.status}`);
      const body = (await response.json()) as { token?: unknown };
      if (typeof body.token !== 'string') throw new Error(`GET ${tokenUrl} returned no token string`);
      authToken = body.token;
    }

    const socket = new WebSocket(wsUrl, options.protocols ?? ['tty'], { headers, handshakeTimeout: timeoutMs });
    socket.binaryType = 'nodebuffer';
    const client = new TtydClient(socket);
    const initial = new Promise<void>((resolve, reject) => {
      let seen = 0;
      const timer = setTimeout(() => reject(new Error('no title and preferences within the deadline')), timeoutMs);
      socket.on('message', (data: Buffer) => {
        const command = String.fromCharCode(data[0] ?? 0);
        const payload = data.subarray(1);
        if (seen < 2 && command === '1') {
          client.title = payload.toString('utf8');
          seen++;
        } else if (seen < 2 && command === '2') {
          client.preferences = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
          seen++;
        } else {
          client.onFrame(command, payload);
        }
        if (seen === 2) {
          clearTimeout(timer);
          resolve();
        }
      });
      socket.once('close', (code, reason) => {
        clearTimeout(timer);
        reject(new Error(`socket closed before the initial messages: ${code} ${reason.toString('utf8')}`));
      });
    });
    // Awaited below; until then a rejection must not count as unhandled.
    initial.catch(() => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (req, res) => {
        reject(new UpgradeRefusedError(res.statusCode ?? 0));
        req.destroy();
      });
    });
    socket.send(
      Buffer.from(
        JSON.stringify({ AuthToken: authToken, columns: options.columns ?? 80, rows: options.rows ?? 24 }),
        'utf8',
      ),
    );
    await initial;
    return client;
  }

  /** All OUTPUT so far, decoded as UTF-8. */
  get output(): string {
    return this.text;
  }

  /** OUTPUT payload bytes received so far. */
  get outputBytes(): number {
    return this.bytes;
  }

  /** The current end of the output, for `since`. */
  mark(): number {
    return this.text.length;
  }

  /** INPUT: `'0'` + bytes. */
  input(text: string): void {
    this.sendRaw(`0${text}`);
  }

  /** RESIZE_TERMINAL: `'1'` + `{"columns":C,"rows":R}`. */
  resize(columns: number, rows: number): void {
    this.sendRaw(`1${JSON.stringify({ columns, rows })}`);
  }

  /** PAUSE: `'2'`. */
  pause(): void {
    this.sendRaw('2');
  }

  /** RESUME: `'3'`. */
  resume(): void {
    this.sendRaw('3');
  }

  /** Any frame as bytes (for tests of malformed input). */
  sendRaw(data: string | Buffer): void {
    this.socket.send(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  /** Resolves with the output from `since` up to and including the first match of `pattern`. */
  waitForOutput(pattern: string | RegExp, options: WaitOptions = {}): Promise<string> {
    const since = options.since ?? 0;
    const immediate = this.match(pattern, since);
    if (immediate !== null) return Promise.resolve(immediate);
    if (this.closeInfo)
      return Promise.reject(this.error(`socket already closed (${this.closeInfo.code})`, pattern, since));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        pattern,
        since,
        searchedTo: since,
        resolve,
        reject,
        timer: setTimeout(() => this.failWaiter(waiter, 'timed out'), options.timeoutMs ?? 10_000),
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * Runs a shell command and resolves with what it printed (markers trimmed). The markers are
   * printed in two pieces so the echoed command line never contains them whole.
   */
  async run(command: string, options: { timeoutMs?: number } = {}): Promise<string> {
    const id = randomBytes(4).toString('hex');
    const since = this.mark();
    this.input(`printf '%s%s\\n' '<<B' '${id}>>'; ${command}; printf '%s%s\\n' '<<E' '${id}>>'\r`);
    const text = await this.waitForOutput(new RegExp(`<<B${id}>>\\r?\\n([\\s\\S]*?)<<E${id}>>`), {
      since,
      timeoutMs: options.timeoutMs ?? 10_000,
    });
    const match = new RegExp(`<<B${id}>>\\r?\\n([\\s\\S]*?)<<E${id}>>`).exec(text);
    return (match?.[1] ?? '').replace(/\r?\n$/, '');
  }

  /** Closes the socket (default 1000) and waits for the close to finish. */
  async close(code = 1000): Promise<TtydClose> {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code);
    }
    return this.closed;
  }

  private onFrame(command: string, payload: Buffer): void {
    if (command !== '0') {
      this.otherFrames.push(command + payload.toString('utf8'));
      return;
    }
    this.bytes += payload.length;
    this.text += this.decoder.decode(payload, { stream: true });
    for (const waiter of this.waiters) {
      const found = this.match(waiter.pattern, waiter.since, waiter.searchedTo);
      if (typeof waiter.pattern === 'string') {
        waiter.searchedTo = Math.max(waiter.since, this.text.length - waiter.pattern.length);
      }
      if (found !== null) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.resolve(found);
      }
    }
  }

  // String patterns are searched incrementally, so waiting through megabytes of output stays linear.
  private match(pattern: string | RegExp, since: number, searchedTo = since): string | null {
    if (typeof pattern === 'string') {
      const at = this.text.indexOf(pattern, searchedTo);
      return at < 0 ? null : this.text.slice(since, at + pattern.length);
    }
    const tail = this.text.slice(since);
    const found = pattern.exec(tail);
    return found ? tail.slice(0, found.index + found[0].length) : null;
  }

  private failWaiter(waiter: Waiter, why: string): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    waiter.reject(this.error(why, waiter.pattern, waiter.since));
  }

  private error(why: string, pattern: string | RegExp, since: number): Error {
    const tail = this.text.slice(since).slice(-400);
    return new Error(`waiting for ${String(pattern)}: ${why}; output since mark ends with ${JSON.stringify(tail)}`);
  }
}
