import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcIdentity } from '../oidc-identity';
import { mintDevToken } from './dev-token';
import { addDevUser, setRoles } from './dev-users';
import { createEmbeddedProvider, type EmbeddedProvider } from './embedded-provider';
import { rotateSigningKeys } from './signing-keys';

const WEB_REDIRECT = 'http://127.0.0.1:5173/auth/callback';

/** A browser's worth of state for fetch: cookies by name, redirects followed by hand. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(index + 1));
    }
    return response;
  }

  /** Follows redirects until a page renders or the location leaves the provider (the app's callback). */
  async follow(url: string, init: RequestInit, origin: string): Promise<{ url: string; response?: Response }> {
    let next = url;
    let response = await this.request(next, init);
    for (let hops = 0; hops < 10; hops += 1) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url: next, response };
      next = new URL(location, next).href;
      if (!next.startsWith(origin)) return { url: next };
      response = await this.request(next);
    }
    throw new Error('too many redirects');
  }

  submit(action: string, base: string, fields: Record<string, string>, origin: string) {
    return this.follow(
      new URL(action, base).href,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams(fields).toString(),
      },
      origin,
    );
  }
}

const formAction = (page: string, id?: string) => {
  const forms = [...page.matchAll(/<form[^>]*?(?:id="([^"]*)")?[^>]*action="([^"]+)"/g)];
  const form = id ? forms.find((m) => m[0].includes(`id="${id}"`)) : forms[0];
  if (!form?.[2]) throw new Error(`no form${id ? ` ${id}` : ''} in page`);
  return form[2].replace(/&#38;/g, '&');
};
const hiddenField = (page: string, name: string) => {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!match?.[1]) throw new Error(`no ${name} field in page`);
  return match[1];
};

async function tokenRequest(issuer: string, fields: Record<string, string>) {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

let dataDir: string;
let server: Server;
let origin: string;
let issuer: string;
let provider: EmbeddedProvider;
let adminPassword: string;

async function startProvider() {
  provider = await createEmbeddedProvider({
    issuer,
    dataDir,
    clients: { web: { redirectUris: [WEB_REDIRECT] } },
  });
  return provider;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'volundr-oidc-'));
  server = createServer((req, res) => {
    if (req.url?.startsWith('/oidc')) {
      provider.handler(req, res).catch((error) => res.writeHead(500).end(String(error)));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${origin}/oidc`;
  await startProvider();
  expect(provider.adminPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
  adminPassword = provider.adminPassword ?? '';
});

afterAll(async () => {
  await provider?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

const identity = () => createOidcIdentity({ issuer, audience: 'volundr' });

/** Runs authorization code + PKCE through the login form; returns the token response. */
async function authorizationCodeLogin(
  browser: Browser,
  {
    clientId,
    redirectUri,
    username,
    password,
  }: { clientId: string; redirectUri: string; username: string; password: string },
) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile email offline_access',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st4te',
  });
  const loginPage = await browser.follow(`${issuer}/auth?${query}`, {}, origin);
  expect(loginPage.response?.status).toBe(200);
  const page = await (loginPage.response as Response).text();
  expect(page).toContain('Sign in');
  const done = await browser.submit(
    formAction(page),
    loginPage.url,
    { csrf: hiddenField(page, 'csrf'), username, password },
    origin,
  );
  expect(done.url.startsWith(redirectUri)).toBe(true);
  const callback = new URL(done.url);
  expect(callback.searchParams.get('state')).toBe('st4te');
  const code = callback.searchParams.get('code');
  expect(code).toBeTruthy();
  return tokenRequest(issuer, {
    grant_type: 'authorization_code',
    code: code ?? '',
    redirect_uri: redirectUri,
    client_id: clientId,
    code_verifier: verifier,
  });
}

describe('embedded OIDC provider over HTTP', () => {
  it('serves discovery and its JWKS under the mount path', async () => {
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery).toMatchObject({
      issuer,
      jwks_uri: `${issuer}/jwks`,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      device_authorization_endpoint: `${issuer}/device/auth`,
    });
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.map((k) => k.kid)).toEqual(provider.jwks().keys.map((k) => k.kid));
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('stores keys and users privately and the admin password only hashed', async () => {
    for (const file of ['jwks.json', 'users.json', 'secrets.json']) {
      expect((await stat(join(dataDir, 'identity', file))).mode & 0o777).toBe(0o600);
    }
    const users = await readFile(join(dataDir, 'identity', 'users.json'), 'utf8');
    expect(users).toContain('"admin"');
    expect(users).not.toContain(adminPassword);
  });

  it('explains an expired or cookieless sign-in instead of failing', async () => {
    const response = await fetch(`${issuer}/interaction/abc123`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('has expired or your browser blocked its cookie');
  });

  it('refuses a wrong password with a clear message and keeps the form', async () => {
    const browser = new Browser();
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      client_id: 'volundr-web',
      redirect_uri: WEB_REDIRECT,
      response_type: 'code',
      scope: 'openid',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const login = await browser.follow(`${issuer}/auth?${query}`, {}, origin);
    const page = await (login.response as Response).text();
    const csrf = hiddenField(page, 'csrf');
    const wrong = await browser.submit(
      formAction(page),
      login.url,
      { csrf, username: 'admin', password: 'nope' },
      origin,
    );
    expect(wrong.response?.status).toBe(401);
    expect(await wrong.response?.text()).toContain('Incorrect username or password.');

    const forged = await browser.submit(
      formAction(page),
      login.url,
      { csrf: 'x'.repeat(43), username: 'admin', password: adminPassword },
      origin,
    );
    expect(forged.response?.status).toBe(400);
    const crossSite = await browser.submit(
      formAction(page),
      login.url,
      { csrf, username: 'admin', password: adminPassword },
      'https://evil.example',
    );
    expect(crossSite.response?.status).toBe(403);
  });

  it('authorization code + PKCE via the login form gives a JWT access token the OIDC adapter accepts; the refresh token survives a restart', async () => {
    const tokens = await authorizationCodeLogin(new Browser(), {
      clientId: 'volundr-web',
      redirectUri: WEB_REDIRECT,
      username: 'admin',
      password: adminPassword,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body.token_type).toBe('Bearer');
    expect(decodeProtectedHeader(tokens.body.access_token ?? '')).toMatchObject({ typ: 'at+jwt', alg: 'RS256' });
    expect(decodeJwt(tokens.body.access_token ?? '')).toMatchObject({
      iss: issuer,
      aud: 'volundr',
      sub: 'admin',
      roles: ['volundr:admin'],
      tenant: 'default',
      client_id: 'volundr-web',
    });
    expect(decodeJwt(tokens.body.id_token ?? '')).toMatchObject({ sub: 'admin', name: 'Administrator' });
    await expect(
      identity().authenticate({ authorization: `Bearer ${tokens.body.access_token}`, headers: {} }),
    ).resolves.toEqual({
      userId: 'admin',
      email: 'admin@localhost',
      name: 'Administrator',
      tenantId: 'default',
      roles: ['volundr:admin'],
    });

    // Restart the provider on the same data dir: the refresh token still works, and rotates.
    await provider.close();
    await startProvider();
    expect(provider.adminPassword).toBeNull();
    await setRoles(dataDir, 'admin', ['volundr:admin', 'volundr:viewer']);
    const refreshed = await tokenRequest(issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token ?? '',
      client_id: 'volundr-web',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(tokens.body.refresh_token);
    expect(decodeJwt(refreshed.body.access_token ?? '').roles).toEqual(['volundr:admin', 'volundr:viewer']);
    await expect(
      identity().authenticate({ authorization: `Bearer ${refreshed.body.access_token}`, headers: {} }),
    ).resolves.toMatchObject({ userId: 'admin' });
    await setRoles(dataDir, 'admin', ['volundr:admin']);

    // Reusing the rotated-out refresh token is refused (and revokes the chain).
    const reused = await tokenRequest(issuer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token ?? '',
      client_id: 'volundr-web',
    });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
    const afterReuse = await tokenRequest(issuer, {
      grant_type: 'refresh_token',
      refresh_token: refreshed.body.refresh_token ?? '',
      client_id: 'volundr-web',
    });
    expect(afterReuse.body.error).toBe('invalid_grant');
  });

  it('the CLI client may use any loopback port, other redirect URIs are refused', async () => {
    await addDevUser(dataDir, {
      username: 'carol',
      password: 'carol-password',
      roles: ['volundr:viewer'],
      tenant: 'team-a',
    });
    const tokens = await authorizationCodeLogin(new Browser(), {
      clientId: 'volundr-cli',
      redirectUri: 'http://127.0.0.1:49321/callback',
      username: 'carol',
      password: 'carol-password',
    });
    expect(tokens.status).toBe(200);
    await expect(
      identity().authenticate({ authorization: `Bearer ${tokens.body.access_token}`, headers: {} }),
    ).resolves.toMatchObject({
      userId: 'carol',
      tenantId: 'team-a',
      roles: ['volundr:viewer'],
    });
    const bad = await fetch(
      `${issuer}/auth?${new URLSearchParams({ client_id: 'volundr-cli', redirect_uri: 'http://evil.example/callback', response_type: 'code', scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`,
      { redirect: 'manual' },
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('redirect_uri');
  });

  it('device flow: the user enters the code on the form, signs in, confirms, and the CLI gets a token', async () => {
    const start = await fetch(`${issuer}/device/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'volundr-cli', scope: 'openid profile offline_access' }).toString(),
    });
    expect(start.status).toBe(200);
    const device = (await start.json()) as Record<string, string>;
    expect(device.verification_uri).toBe(`${issuer}/device`);
    const poll = () =>
      tokenRequest(issuer, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: device.device_code ?? '',
        client_id: 'volundr-cli',
      });
    expect((await poll()).body.error).toBe('authorization_pending');

    const browser = new Browser();
    const input = await browser.follow(device.verification_uri ?? '', {}, origin);
    const inputPage = await (input.response as Response).text();
    expect(inputPage).toContain('Enter the code');
    // oidc-provider shows the code for confirmation first, then asks the user to sign in.
    const confirm = await browser.submit(
      formAction(inputPage),
      input.url,
      { xsrf: hiddenField(inputPage, 'xsrf'), user_code: device.user_code ?? '' },
      origin,
    );
    const confirmPage = await (confirm.response as Response).text();
    expect(confirmPage).toContain(device.user_code);
    expect(confirmPage).toContain('Volundr CLI');
    const login = await browser.submit(
      formAction(confirmPage, 'op.deviceConfirmForm'),
      confirm.url,
      { xsrf: hiddenField(confirmPage, 'xsrf'), user_code: hiddenField(confirmPage, 'user_code'), confirm: 'yes' },
      origin,
    );
    const loginPage = await (login.response as Response).text();
    expect(loginPage).toContain('Sign in');
    expect((await poll()).body.error).toBe('authorization_pending');
    const success = await browser.submit(
      formAction(loginPage),
      login.url,
      { csrf: hiddenField(loginPage, 'csrf'), username: 'admin', password: adminPassword },
      origin,
    );
    expect(await (success.response as Response).text()).toContain('You are signed in');

    const tokens = await poll();
    expect(tokens.status).toBe(200);
    expect(tokens.body.refresh_token).toBeTruthy();
    await expect(
      identity().authenticate({ authorization: `Bearer ${tokens.body.access_token}`, headers: {} }),
    ).resolves.toMatchObject({ userId: 'admin', roles: ['volundr:admin'] });
  });

  it('mints dev tokens shaped like its own, accepted by the OIDC adapter; rotation adds a kid and keeps the old', async () => {
    const token = await mintDevToken({ dataDir, issuer, user: 'dave', roles: ['volundr:viewer'], tenant: 't-9' });
    expect(decodeProtectedHeader(token)).toMatchObject({
      typ: 'at+jwt',
      alg: 'RS256',
      kid: provider.jwks().keys[0]?.kid,
    });
    // Without an issuer it signs for the one the provider last started with.
    const viaFlow = await mintDevToken({ dataDir, user: 'carol' });
    expect(decodeJwt(viaFlow).iss).toBe(issuer);
    expect(Object.keys(decodeJwt(viaFlow)).sort()).toEqual(
      [
        'aud',
        'client_id',
        'email',
        'exp',
        'iat',
        'iss',
        'jti',
        'name',
        'preferred_username',
        'roles',
        'sub',
        'tenant',
      ].sort(),
    );
    const oidc = identity();
    await expect(oidc.authenticate({ authorization: `Bearer ${token}`, headers: {} })).resolves.toEqual({
      userId: 'dave',
      email: 'dave@localhost',
      name: 'dave',
      tenantId: 't-9',
      roles: ['volundr:viewer'],
    });
    await expect(oidc.authenticate({ authorization: `Bearer ${viaFlow}`, headers: {} })).resolves.toMatchObject({
      userId: 'carol',
      tenantId: 'team-a',
      roles: ['volundr:viewer'],
    });

    const oldKid = provider.jwks().keys[0]?.kid;
    const { kid, retained } = await rotateSigningKeys(dataDir);
    expect(retained).toEqual([oldKid]);
    await provider.close();
    await startProvider();
    expect(provider.jwks().keys.map((k) => k.kid)).toEqual([kid, oldKid]);
    const rotated = await mintDevToken({ dataDir, issuer, user: 'dave' });
    expect(decodeProtectedHeader(rotated).kid).toBe(kid);
    // A fresh adapter (new process) accepts both the old-key and the new-key tokens.
    await expect(identity().authenticate({ authorization: `Bearer ${rotated}`, headers: {} })).resolves.toMatchObject({
      userId: 'dave',
    });
    await expect(identity().authenticate({ authorization: `Bearer ${token}`, headers: {} })).resolves.toMatchObject({
      userId: 'dave',
    });
  });

  it('refuses to mint a dev token without an embedded identity in the data dir', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'volundr-empty-'));
    try {
      await expect(mintDevToken({ dataDir: empty, issuer, user: 'x' })).rejects.toThrow(/no embedded identity/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
