import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@volundr/core/shared/ports/logger';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { z } from 'zod';
import { checkDevUserPassword } from './dev-users';
import { FormBodyError, readFormBody } from './form-body';
import { loginPage, messagePage, PAGE_HEADERS } from './pages';

const ZLoginForm = z.object({
  csrf: z.string().min(1).max(200),
  username: z.string().trim().min(1, 'enter your username').max(64),
  password: z.string().min(1, 'enter your password').max(1024),
});
const ZAbortForm = z.object({ csrf: z.string().min(1).max(200) });

export interface InteractionRoutesConfig {
  provider: Provider;
  mountPath: string;
  issuerOrigin: string;
  dataDir: string;
  csrfKey: Buffer;
  logger: Logger;
}

type Send = (status: number, html: string) => void;

/**
 * Our own sign-in pages under `<mount>/interaction/:uid`: a username + password form, and
 * consent granted automatically (every registered client is first-party). CSRF defence: the
 * interaction cookie is SameSite=Lax and path-bound, the form carries an HMAC of the
 * interaction id under a server secret, and cross-site POSTs are refused by Origin.
 */
export function createInteractionRoutes(config: InteractionRoutesConfig) {
  const { provider, mountPath } = config;
  const csrfFor = (uid: string) =>
    createHmac('sha256', config.csrfKey).update(`interaction:${uid}`).digest('base64url');
  const csrfValid = (uid: string, presented: string) => {
    const expected = Buffer.from(csrfFor(uid));
    const actual = Buffer.from(presented);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
  const crossSite = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    if (origin && origin !== 'null' && origin !== config.issuerOrigin) return true;
    return req.headers['sec-fetch-site'] === 'cross-site';
  };

  const renderLogin = (
    send: Send,
    status: number,
    details: Interaction,
    extra: { username?: string; error?: string },
  ) => {
    const base = `${mountPath}/interaction/${details.uid}`;
    send(
      status,
      loginPage({
        action: `${base}/login`,
        abortAction: `${base}/abort`,
        csrf: csrfFor(details.uid),
        clientName: clientNameOf(details),
        ...extra,
      }),
    );
  };

  /** Grants whatever the client asked for: only our own clients are registered. */
  const autoConsent = async (req: IncomingMessage, res: ServerResponse, details: Interaction) => {
    const accountId = details.session?.accountId;
    const clientId = details.params.client_id;
    if (!accountId || typeof clientId !== 'string') throw new Error('consent prompt without a session or client');
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId }))
      : new provider.Grant({ accountId, clientId });
    const prompt = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (prompt.missingOIDCScope) grant.addOIDCScope(prompt.missingOIDCScope.join(' '));
    if (prompt.missingOIDCClaims) grant.addOIDCClaims(prompt.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(prompt.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  };

  const show = async (req: IncomingMessage, res: ServerResponse, details: Interaction, send: Send) => {
    if (details.prompt.name === 'login') return renderLogin(send, 200, details, {});
    if (details.prompt.name === 'consent') return autoConsent(req, res, details);
    return send(400, messagePage('Sign-in failed', `Unsupported sign-in step "${details.prompt.name}".`, true));
  };

  const login = async (req: IncomingMessage, res: ServerResponse, details: Interaction, send: Send) => {
    if (details.prompt.name !== 'login') return show(req, res, details, send);
    const form = ZLoginForm.safeParse(await readFormBody(req));
    if (!form.success || !csrfValid(details.uid, form.data.csrf)) {
      const message = form.success ? 'This form has expired. Please sign in again.' : form.error.issues[0]?.message;
      return renderLogin(send, 400, details, { error: message ?? 'Fill in username and password.' });
    }
    const user = await checkDevUserPassword(config.dataDir, form.data.username, form.data.password);
    if (!user) {
      config.logger.info({ username: form.data.username }, 'embedded OIDC sign-in refused: wrong username or password');
      return renderLogin(send, 401, details, {
        username: form.data.username,
        error: 'Incorrect username or password.',
      });
    }
    config.logger.info({ username: user.username, client: details.params.client_id }, 'embedded OIDC sign-in');
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.username, remember: true } },
      { mergeWithLastSubmission: false },
    );
  };

  const abort = async (req: IncomingMessage, res: ServerResponse, details: Interaction, send: Send) => {
    const form = ZAbortForm.safeParse(await readFormBody(req));
    if (!form.success || !csrfValid(details.uid, form.data.csrf)) {
      return send(400, messagePage('Sign-in failed', 'This form has expired. Please start again.', true));
    }
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user cancelled the sign-in.' },
      { mergeWithLastSubmission: false },
    );
  };

  /** Handles `<mount>/interaction/...`; `path` is the part after the mount path. */
  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const send: Send = (status, html) => {
      res.writeHead(status, PAGE_HEADERS);
      res.end(html);
    };
    const match = /^\/interaction\/([A-Za-z0-9_-]{1,128})(\/login|\/abort)?$/.exec(path);
    if (!match?.[1]) return send(404, messagePage('Not found', 'There is nothing here.', true));
    const [, uid, action] = match;
    const method = req.method ?? 'GET';
    if ((action && method !== 'POST') || (!action && method !== 'GET')) {
      res.setHeader('allow', action ? 'POST' : 'GET');
      return send(405, messagePage('Not allowed', `${method} is not allowed here.`, true));
    }
    if (action && crossSite(req)) {
      return send(403, messagePage('Sign-in refused', 'The form was submitted from another site.', true));
    }

    let details: Interaction;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return send(
        400,
        messagePage(
          'Sign-in expired',
          'This sign-in request has expired or your browser blocked its cookie. Go back to the application and sign in again.',
          true,
        ),
      );
    }
    if (details.uid !== uid) return send(400, messagePage('Sign-in failed', 'This sign-in link does not match.', true));

    try {
      if (action === '/login') await login(req, res, details, send);
      else if (action === '/abort') await abort(req, res, details, send);
      else await show(req, res, details, send);
    } catch (error) {
      if (error instanceof FormBodyError) return send(error.status, messagePage('Sign-in failed', error.message, true));
      config.logger.error({ err: error }, 'embedded OIDC interaction failed');
      if (!res.headersSent) send(500, messagePage('Sign-in failed', 'Something went wrong. Please try again.', true));
    }
  };
}

function clientNameOf(details: Interaction): string {
  const clientId = details.params.client_id;
  if (clientId === 'volundr-cli') return 'Volundr CLI';
  if (clientId === 'volundr-web') return 'Volundr';
  return typeof clientId === 'string' ? clientId : 'Volundr';
}
