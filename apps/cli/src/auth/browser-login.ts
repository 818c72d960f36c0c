import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { bold, CliError, exitCodes } from '../output';
import { createProgress } from '../ui/spinner';
import { oauthFailure } from './oidc-client';
import { openBrowser } from './open-browser';

const LOGIN_DEADLINE_MS = 5 * 60_000;

interface Answer {
  url: URL;
  res: ServerResponse;
}

const page = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:system-ui;margin:4rem auto;max-width:32rem"><h1>${title}</h1><p>${text}</p></body>`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * Authorization code with PKCE and a loopback redirect (RFC 8252): a one-shot HTTP server on
 * 127.0.0.1 and a port the system picks receives the code; the browser is opened when possible.
 */
export async function browserLogin(
  config: oidc.Configuration,
  scope: string,
  options: { open: boolean; signal: AbortSignal },
): Promise<oidc.TokenEndpointResponse> {
  const issuer = config.serverMetadata().issuer;
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  let settle: { resolve: (answer: Answer) => void; reject: (error: Error) => void } | null = null;
  const callback = new Promise<Answer>((resolve, reject) => {
    settle = { resolve, reject };
  });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback' || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (url.searchParams.get('state') !== state) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Login failed', 'This answer does not belong to the login the CLI started.'));
      return;
    }
    // The page is written once the code has been exchanged, so it tells the truth.
    settle?.resolve({ url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url}`), res });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  const progress = createProgress();
  const timer = setTimeout(
    () => settle?.reject(new CliError('no answer from the browser within 5 minutes', 'run volundr login again')),
    LOGIN_DEADLINE_MS,
  );
  const onAbort = () => settle?.reject(new CliError('login cancelled', undefined, exitCodes.interrupted));
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const opened = options.open && openBrowser(url.href);
    process.stderr.write(
      opened
        ? `Opened your browser to log in. If it did not open, visit:\n`
        : 'To log in, open this URL in a browser:\n',
    );
    process.stderr.write(`${bold(url.href)}\n`);
    progress.step('waiting for the browser (Ctrl-C to cancel)');
    const answer = await callback;
    const reply = (status: number, title: string, text: string) =>
      answer.res
        .writeHead(status, { 'content-type': 'text/html; charset=utf-8', connection: 'close' })
        .end(page(title, text));
    const error = answer.url.searchParams.get('error');
    if (error) {
      const description = answer.url.searchParams.get('error_description');
      reply(400, 'Login failed', escapeHtml(description ?? error));
      throw new CliError(
        `the identity provider refused the login (${error}${description ? `: ${description}` : ''})`,
        undefined,
        exitCodes.unauthenticated,
      );
    }
    try {
      const tokens = await oidc.authorizationCodeGrant(
        config,
        answer.url,
        { pkceCodeVerifier: verifier, expectedState: state },
        { redirect_uri: redirectUri },
      );
      reply(200, 'You are logged in', 'You can close this tab and return to the terminal.');
      return tokens;
    } catch (grantError) {
      const failure = oauthFailure(grantError, 'authorization code exchange', issuer);
      reply(400, 'Login failed', escapeHtml(failure.message));
      throw failure;
    }
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    progress.stop();
    server.closeAllConnections();
    server.close();
  }
}
