import { expect, type Locator, type Page } from '@playwright/test';

/** A session's page: provisioning while it starts, then the workspace tabs. */
export class SessionPage {
  readonly title: Locator;
  readonly state: Locator;
  readonly steps: Locator;
  readonly failure: Locator;
  readonly retry: Locator;
  readonly tabs: Locator;

  constructor(private readonly page: Page) {
    this.title = page.getByRole('heading', { level: 1 });
    this.state = page.locator('.session-heading .badge').first();
    this.steps = page.locator('.steps li');
    this.failure = page.getByRole('heading', { name: 'The session failed to start' });
    this.retry = page.getByRole('button', { name: 'Retry' });
    this.tabs = page.getByRole('tablist', { name: 'Workspace' });
  }

  async waitForState(label: RegExp | string, timeout = 60_000): Promise<void> {
    await expect(this.state).toHaveText(label, { timeout });
  }

  tab(name: 'Chat' | 'Terminal' | 'IDE' | 'Changes' | 'Chronicle'): Locator {
    return this.tabs.getByRole('tab', { name });
  }

  action(name: 'Stop' | 'Start' | 'Archive' | 'Restore' | 'Delete'): Locator {
    return this.page.locator('.session-header').getByRole('button', { name: new RegExp(`^${name}`) });
  }

  sessionId(): string {
    const match = /\/sessions\/([^/?#]+)/.exec(this.page.url());
    if (!match?.[1]) throw new Error(`not on a session page: ${this.page.url()}`);
    return decodeURIComponent(match[1]);
  }
}
