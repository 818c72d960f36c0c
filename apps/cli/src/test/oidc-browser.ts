/**
 * A person's browser for tests, with fetch: cookies kept by name, redirects followed by hand,
 * forms submitted with their hidden fields. Drives the embedded provider's own pages, as
 * packages/adapters/identity's tests do.
 */
export class FormBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

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

  /** Follows redirects until a page renders, or the location leaves the origin (returned unvisited). */
  async follow(url: string, init: RequestInit = {}): Promise<{ url: string; page: string | null }> {
    let next = url;
    let response = await this.request(next, init);
    for (let hops = 0; hops < 10; hops += 1) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location)
        return { url: next, page: await response.text() };
      next = new URL(location, next).href;
      if (!next.startsWith(this.origin)) return { url: next, page: null };
      response = await this.request(next);
    }
    throw new Error('too many redirects');
  }

  submit(page: { url: string; page: string | null }, fields: Record<string, string>, formId?: string) {
    const html = page.page ?? '';
    const forms = [...html.matchAll(/<form[^>]*?action="([^"]+)"[^>]*>/g)];
    const form = formId ? forms.find((m) => m[0].includes(`id="${formId}"`)) : forms[0];
    if (!form?.[1]) throw new Error(`no form${formId ? ` ${formId}` : ''} on ${page.url}: ${html.slice(0, 300)}`);
    return this.follow(new URL(form[1].replace(/&#38;|&amp;/g, '&'), page.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.origin },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

export function hiddenField(page: { page: string | null }, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page.page ?? '');
  if (!match?.[1]) throw new Error(`no ${name} field in page`);
  return match[1];
}

/** Approves a device login as a person would: enter the code, confirm, sign in. */
export async function approveDeviceLogin(options: {
  verificationUri: string;
  userCode: string;
  username: string;
  password: string;
}): Promise<void> {
  const browser = new FormBrowser(new URL(options.verificationUri).origin);
  const input = await browser.follow(options.verificationUri);
  const confirm = await browser.submit(input, { xsrf: hiddenField(input, 'xsrf'), user_code: options.userCode });
  const login = await browser.submit(
    confirm,
    { xsrf: hiddenField(confirm, 'xsrf'), user_code: hiddenField(confirm, 'user_code'), confirm: 'yes' },
    'op.deviceConfirmForm',
  );
  const done = await browser.submit(login, {
    csrf: hiddenField(login, 'csrf'),
    username: options.username,
    password: options.password,
  });
  if (!done.page?.includes('You are signed in'))
    throw new Error(`device approval did not finish: ${done.page?.slice(0, 300)}`);
}

/** Signs in on the provider's form for an authorization URL; returns where it redirected (the app's callback). */
export async function approveBrowserLogin(options: {
  url: string;
  username: string;
  password: string;
}): Promise<string> {
  const browser = new FormBrowser(new URL(options.url).origin);
  const login = await browser.follow(options.url);
  const done = await browser.submit(login, {
    csrf: hiddenField(login, 'csrf'),
    username: options.username,
    password: options.password,
  });
  return done.url;
}
