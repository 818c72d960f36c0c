import type { Locator, Page } from '@playwright/test';

export class DashboardPage {
  readonly heading: Locator;
  readonly newSession: Locator;
  readonly emptyState: Locator;
  readonly notAvailable: Locator;
  readonly search: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Sessions', level: 1 });
    this.newSession = page.getByRole('link', { name: 'New session' });
    this.emptyState = page.getByRole('heading', { name: 'No sessions yet' });
    this.notAvailable = page.getByRole('heading', { name: 'Not available yet' });
    this.search = page.getByLabel('Search');
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }

  /** Whatever the dashboard settles on: sessions, the empty state, or "not available". */
  async settled(): Promise<'sessions' | 'empty' | 'not-available'> {
    const list = this.page.locator('.session-list');
    await list.or(this.emptyState).or(this.notAvailable).first().waitFor();
    if (await this.notAvailable.isVisible()) return 'not-available';
    if (await this.emptyState.isVisible()) return 'empty';
    return 'sessions';
  }

  sessionCard(name: string): Locator {
    return this.page.getByRole('listitem', { name, exact: true });
  }

  /** The state group (Running, Stopped…) a session card is in. */
  group(title: string): Locator {
    return this.page.getByRole('region', { name: new RegExp(`^${title} \\(\\d+\\)$`) });
  }

  /** Deletes from the dashboard through the confirmation dialog. */
  async deleteSession(name: string, cleanup: { workspace?: boolean } = {}): Promise<void> {
    await this.sessionCard(name)
      .getByRole('button', { name: `Delete ${name}` })
      .click();
    const dialog = this.page.getByRole('dialog');
    if (cleanup.workspace) await dialog.getByLabel('Also delete the workspace files').check();
    await dialog.getByRole('button', { name: 'Delete session' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
}
