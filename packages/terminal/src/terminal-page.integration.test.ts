import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTerminalProcess, type TerminalProcess } from './test/terminal-process';

// The served page (xterm.js + our protocol client) in Debian's Chromium: it connects, shows
// a prompt, and typed input round-trips through the shell.

let server: TerminalProcess;
let browser: Browser;
let workspace: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'volundr-term-page-'));
  server = await startTerminalProcess([
    '-p',
    '0',
    '-b',
    '/s/page/terminal',
    '-w',
    workspace,
    '-e',
    'PS1=term$ ',
    '--',
    '/bin/bash',
    '--norc',
    '--noprofile',
  ]);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(workspace, { recursive: true, force: true });
});

it('renders a prompt and echoes typed commands', async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 500 } });
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') failures.push(message.text());
  });
  page.on('requestfailed', (request) => failures.push(`${request.url()} ${request.failure()?.errorText}`));

  await page.goto(server.pageUrl.replace(/\/$/, '')); // <base> redirects to <base>/
  // xterm's DOM renderer puts one div per terminal row under .xterm-rows. Locators, unlike
  // evaluated strings, are not subject to the page's CSP (no 'unsafe-eval').
  const row = (text: RegExp) => page.locator('.xterm-rows > div').filter({ hasText: text }).first();
  await row(/^term\$/).waitFor({ timeout: 15_000 });
  expect(await page.title()).toBe(`/bin/bash --norc --noprofile (${hostname()})`);

  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type('echo hi');
  await page.keyboard.press('Enter');
  await row(/^hi\s*$/).waitFor({ timeout: 15_000 });
  expect(failures).toEqual([]);
  await page.close();
});
