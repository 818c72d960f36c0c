import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@volundr/api/routers/app-router';
import { type AuthConfig, ZAuthConfig } from '@volundr/contracts/auth';
import type { z } from 'zod';
import { type TokenSource, tokenSourceFor } from '../auth/token-source';
import { CliError, exitCodes } from '../output';
import { apiErrorOf, apiFailure, cliErrorOfApiError } from './api-errors';
import { type InputOf, type OutputOf, type PathOfKind, type ProcedurePath, procedures } from './procedures';
import { ensureReachable, networkReason, unreachable } from './reachability';
import { type GlobalOptions, resolveTarget, type ServerTarget } from './server-target';

/** How long a request may wait for the server's answer (its headers, for a stream). */
const ANSWER_DEADLINE_MS = 30_000;

export interface RequestOptions {
  deadlineMs?: number;
  signal?: AbortSignal;
  /** Send no credentials (public endpoints such as auth.config). */
  anonymous?: boolean;
}

/**
 * The API as the CLI uses it: tRPC over HTTP for procedures (outputs validated against the
 * contracts, so a drifting server is reported, not trusted), plain fetch for REST and streams,
 * bearer credentials renewed once when the server refuses them.
 */
export class ApiClient {
  private trpcClient: ReturnType<typeof createTRPCUntypedClient<AppRouter>> | null = null;
  private tokenSource: TokenSource | null | undefined;

  constructor(
    readonly target: ServerTarget,
    private readonly flagToken?: string,
  ) {}

  static fromOptions(options: GlobalOptions): ApiClient {
    return new ApiClient(resolveTarget(options), options.token);
  }

  get server(): string {
    return this.target.server;
  }

  /** The credentials of this command (throws "not logged in" when there are none). */
  get tokens(): TokenSource {
    if (this.tokenSource === undefined) this.tokenSource = tokenSourceFor(this.target, this.flagToken);
    return this.tokenSource as TokenSource;
  }

  /** `path` (e.g. `/s/x/terminal/token`) or an absolute URL on the server. */
  url(path: string): string {
    return /^[a-z]+:\/\//i.test(path) ? path : `${this.server}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  /** fetch with the bearer token, the reachability probe, an answer deadline and one renewal on 401. */
  async fetch(pathOrUrl: string, init: RequestInit = {}, options: RequestOptions = {}): Promise<Response> {
    const url = this.url(pathOrUrl);
    await ensureReachable(this.server, this.peer());
    if (options.anonymous) return this.send(url, init, null, options);
    const token = await this.tokens.token();
    const first = await this.send(url, init, token, options);
    if (first.status !== 401) return first;
    const renewed = await this.tokens.renew(token);
    if (!renewed) return first;
    await first.body?.cancel();
    return this.send(url, init, renewed, options);
  }

  query<P extends PathOfKind<'query'>>(path: P, input: InputOf<P>): Promise<OutputOf<P>> {
    return this.call('query', path, input);
  }

  mutate<P extends PathOfKind<'mutation'>>(path: P, input: InputOf<P>): Promise<OutputOf<P>> {
    return this.call('mutation', path, input);
  }

  /** The input checked against the procedure's schema before it leaves (defaults applied). */
  checkedInput<P extends ProcedurePath>(path: P, input: InputOf<P>): unknown {
    const parsed = (procedures[path].input as z.ZodType).safeParse(input);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new CliError(
      `invalid input for ${path}: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}`,
      undefined,
      exitCodes.usage,
    );
  }

  /** `GET /api/v1/auth/config`: how to sign in here (public). */
  async authConfig(): Promise<AuthConfig> {
    const response = await this.fetch('/api/v1/auth/config', {}, { anonymous: true });
    const body = await this.json(response, 'GET /api/v1/auth/config');
    if (!response.ok) throw this.restError(response, body);
    return this.validate(ZAuthConfig, body, 'auth.config');
  }

  /** Parses a response body, reporting a body that is not JSON with what the server sent. */
  async json(response: Response, what: string): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new CliError(
        `${this.server} answered ${what} with HTTP ${response.status} and no JSON (${text.slice(0, 80).replace(/\s+/g, ' ')})`,
        'is this the address of a Volundr server?',
      );
    }
  }

  restError(response: Response, body: unknown): CliError {
    const apiError = apiErrorOf((body as { error?: unknown } | null)?.error);
    if (apiError) return cliErrorOfApiError(apiError, this.tokenSource ?? null, this.server);
    return new CliError(`${this.server} answered HTTP ${response.status}`);
  }

  validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new CliError(
      `unexpected answer from ${this.server} to ${what}: ${issue?.path.join('.') || '(top level)'}: ${issue?.message}`,
      'the server and this CLI may be different versions',
    );
  }

  private async call<P extends ProcedurePath>(
    kind: 'query' | 'mutation',
    path: P,
    input: InputOf<P>,
  ): Promise<OutputOf<P>> {
    const checked = this.checkedInput(path, input);
    let result: unknown;
    try {
      result = await this.trpc()[kind](path, checked);
    } catch (error) {
      throw apiFailure(error, path, this.server, this.tokenSource ?? null);
    }
    return this.validate(procedures[path].output as unknown as z.ZodType<OutputOf<P>>, result, path);
  }

  private trpc() {
    if (!this.trpcClient) {
      this.trpcClient = createTRPCUntypedClient<AppRouter>({
        links: [
          httpLink({
            url: `${this.server}/trpc`,
            fetch: ((url: string, init: RequestInit) => this.fetch(url, init)) as never,
          }),
        ],
      });
    }
    return this.trpcClient;
  }

  private peer() {
    const from =
      this.target.source === 'context'
        ? `context "${this.target.context}"`
        : this.target.source === 'env'
          ? 'VOLUNDR_SERVER'
          : this.target.source === 'flag'
            ? '--server'
            : 'the local volundr up';
    return { hint: `is it running, and is the address right? (it comes from ${from}; see: volundr context ls)` };
  }

  private async send(url: string, init: RequestInit, token: string | null, options: RequestOptions) {
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    const deadlineMs = options.deadlineMs ?? ANSWER_DEADLINE_MS;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DeadlineExceeded()), deadlineMs);
    const external = [options.signal, init.signal].filter((s): s is AbortSignal => !!s);
    const signal = external.length ? AbortSignal.any([controller.signal, ...external]) : controller.signal;
    try {
      return await fetch(url, { ...init, headers, signal });
    } catch (error) {
      if (controller.signal.aborted) {
        throw new CliError(
          `${this.server} did not answer within ${Math.round(deadlineMs / 1000)} s`,
          'the server may be overloaded or stuck; retry, or check it (volundr status for a local one)',
          exitCodes.unreachable,
        );
      }
      if (external.some((s) => s.aborted)) throw error;
      const reason = networkReason(error);
      if (reason) throw unreachable(this.server, reason, this.peer());
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}
