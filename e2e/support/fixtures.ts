import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, test as base, expect, type Page } from '@playwright/test';
import { AppLoginPage } from '../pages/AppLoginPage';
import { seriousViolations } from './axe';

export interface PlatformInfo {
  url: string;
  dataDir: string;
  adminPassword: string;
  /** User `dana`, role developer. */
  developerPassword: string;
  /** A git smart-HTTP server holding `acme/app` (branch main): `${gitUrl}/acme/app.git`. */
  gitUrl: string;
  /** Control endpoint of the fake model API (see support/model-api.ts). */
  modelControlUrl: string;
}

function platformInfo(): PlatformInfo {
  const url = process.env.VOLUNDR_E2E_URL;
  const dataDir = process.env.VOLUNDR_E2E_DATA_DIR;
  const adminPassword = process.env.VOLUNDR_E2E_ADMIN_PASSWORD;
  const developerPassword = process.env.VOLUNDR_E2E_DEVELOPER_PASSWORD;
  const gitUrl = process.env.VOLUNDR_E2E_GIT_URL;
  const modelControlUrl = process.env.VOLUNDR_E2E_MODEL_CONTROL_URL;
  if (!url || !dataDir || !adminPassword || !developerPassword || !gitUrl || !modelControlUrl)
    throw new Error('the platform is not running: global-setup.ts did not run');
  return { url, dataDir, adminPassword, developerPassword, gitUrl, modelControlUrl };
}

/**
 * Console errors that are not bugs. Chromium logs every 4xx answer as "Failed to load
 * resource"; from the API (`/trpc`) and the issuer (`/oidc`) a 4xx is an answer the page
 * shows (a refused action, a missing procedure, a wrong password), and tests assert that it
 * does. A 5xx, an uncaught exception or any `console.error` of the app still fails the test.
 * Messages from the framed session pages (code-server, terminal) are not the app's.
 */
const EXPECTED_CONSOLE = [
  // code-server and the terminal page are other programs, framed in the workspace: their own
  // console (code-server logs missing optional files as errors) is not this app's.
  /\(https?:\/\/[^/]+\/s\/[^/]+\/(?:ide|terminal)\//,
  /Failed to load resource: the server responded with a status of 4\d\d .*\(https?:\/\/[^/]+\/(?:trpc|oidc)\//,
];

interface Fixtures {
  platform: PlatformInfo;
  /** More console messages a test expects (e.g. the network failure it provokes). */
  allowedConsole: RegExp[];
  /** Saves a full-page screenshot (kept in test-results/screenshots and attached to the report). */
  capture: (name: string, page?: Page) => Promise<void>;
  /** Fails with the list of serious/critical axe violations on the page, if any. */
  expectAccessible: (page?: Page) => Promise<void>;
}

interface WorkerFixtures {
  /** storageState of a signed-in user, made once per worker through the real sign-in flow. */
  adminState: string;
  developerState: string;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  baseURL: async ({}, use) => {
    await use(platformInfo().url);
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  platform: async ({}, use) => {
    await use(platformInfo());
  },
  allowedConsole: [[], { option: true }],
  page: async ({ page, allowedConsole }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const entry = `${message.text()} (${message.location().url})`;
      if (![...EXPECTED_CONSOLE, ...allowedConsole].some((pattern) => pattern.test(entry))) errors.push(entry);
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    await use(page);
    expect(errors, 'console errors during the test').toEqual([]);
  },
  capture: async ({ page }, use, testInfo) => {
    const dir = join(testInfo.project.outputDir, 'screenshots');
    mkdirSync(dir, { recursive: true });
    await use(async (name, target = page) => {
      const path = join(dir, `${name}.png`);
      await target.screenshot({ path, fullPage: true });
      await testInfo.attach(name, { path, contentType: 'image/png' });
    });
  },
  expectAccessible: async ({ page }, use) => {
    await use(async (target = page) => {
      const violations = await seriousViolations(target);
      expect(violations, `serious accessibility violations on ${target.url()}`).toEqual([]);
    });
  },
  adminState: [
    async ({ browser }, use, workerInfo) => {
      await use(await signedInState(browser, 'admin', platformInfo().adminPassword, workerInfo.project.outputDir));
    },
    { scope: 'worker' },
  ],
  developerState: [
    async ({ browser }, use, workerInfo) => {
      await use(await signedInState(browser, 'dana', platformInfo().developerPassword, workerInfo.project.outputDir));
    },
    { scope: 'worker' },
  ],
});

/** Signs in once through the real flow and keeps the browser storage (tokens) in a file. */
async function signedInState(browser: Browser, username: string, password: string, dir: string): Promise<string> {
  const context = await browser.newContext({ baseURL: platformInfo().url });
  const page = await context.newPage();
  await new AppLoginPage(page).signIn(username, password);
  const file = join(dir, `.auth-${username}.json`);
  await context.storageState({ path: file });
  await context.close();
  return file;
}

/** Tests that start signed in as developer `dana` (tokens restored from storage, as after a reload). */
export const signedInTest = test.extend({
  storageState: async ({ developerState }, use) => {
    await use(developerState);
  },
});

/** Tests that start signed in as `admin`. */
export const adminTest = test.extend({
  storageState: async ({ adminState }, use) => {
    await use(adminState);
  },
});

export { expect };
