/** Small self-contained HTML pages for sign-in (no external fonts or scripts). */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Headers for every page we render. No `form-action`: browsers apply it to the redirect that
 * follows the login POST, which goes to the client's redirect URI on another origin.
 */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f4f5;color:#18181b;margin:0}
main{max-width:22rem;margin:4rem auto;background:#fff;border:1px solid #e4e4e7;border-radius:8px;padding:2rem}
h1{font-size:1.35rem;margin:0 0 1rem}
p{line-height:1.4}
label{display:block;font-size:.9rem;margin:.75rem 0 .25rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #a1a1aa;border-radius:4px;font-size:1rem}
button{margin-top:1.25rem;width:100%;padding:.6rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;font-size:1rem;cursor:pointer}
button.secondary{background:none;color:#52525b;margin-top:.5rem}
.error{color:#b91c1c;background:#fef2f2;border:1px solid #fecaca;border-radius:4px;padding:.5rem}
code{font-size:1.4rem;letter-spacing:.1em}
`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Volundr</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

const errorBlock = (message: string | undefined) =>
  message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '';

export function loginPage(input: {
  action: string;
  abortAction: string;
  csrf: string;
  clientName: string;
  username?: string;
  error?: string;
}): string {
  return page(
    'Sign in',
    `<p>to continue to <strong>${escapeHtml(input.clientName)}</strong></p>
${errorBlock(input.error)}
<form method="post" action="${escapeHtml(input.action)}" autocomplete="on">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
<label for="username">Username</label>
<input id="username" type="text" name="username" value="${escapeHtml(input.username ?? '')}" autocomplete="username" autocapitalize="none" required ${input.username ? '' : 'autofocus'}>
<label for="password">Password</label>
<input id="password" type="password" name="password" autocomplete="current-password" required ${input.username ? 'autofocus' : ''}>
<button type="submit">Sign in</button>
</form>
<form method="post" action="${escapeHtml(input.abortAction)}">
<input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
<button class="secondary" type="submit">Cancel</button>
</form>`,
  );
}

/** oidc-provider hands us its own `<form>` (with its CSRF field) for the device pages. */
export function deviceInputPage(form: string, error?: string): string {
  return page(
    'Connect a device',
    `<p>Enter the code shown by the Volundr CLI.</p>${errorBlock(error)}
${form}
<button type="submit" form="op.deviceInputForm">Continue</button>`,
  );
}

export function deviceConfirmPage(form: string, clientName: string, userCode: string): string {
  return page(
    'Confirm the device',
    `<p><strong>${escapeHtml(clientName)}</strong> is asking to sign in as you. Check that the device shows this code:</p>
<p><code>${escapeHtml(userCode)}</code></p>
${form}
<button type="submit" form="op.deviceConfirmForm">Allow</button>
<button class="secondary" type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Deny</button>`,
  );
}

export function messagePage(title: string, message: string, isError = false): string {
  return page(title, isError ? errorBlock(message) : `<p>${escapeHtml(message)}</p>`);
}

export function logoutPage(form: string): string {
  return page(
    'Sign out',
    `<p>Sign out of Volundr on this browser?</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button class="secondary" type="submit" form="op.logoutForm">Stay signed in</button>`,
  );
}
