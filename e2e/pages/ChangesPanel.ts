import type { Locator, Page } from '@playwright/test';

/** The workspace's Changes tab: changed files against a base, and one file's diff. */
export class ChangesPanel {
  readonly base: Locator;
  readonly layout: Locator;
  readonly refresh: Locator;
  readonly noChanges: Locator;

  constructor(private readonly page: Page) {
    this.base = page.getByLabel('Compare with');
    this.layout = page.getByLabel('View', { exact: true });
    this.refresh = page.getByRole('button', { name: /^Refresh/ });
    this.noChanges = page.getByRole('heading', { name: 'No changes' });
  }

  /** The file's button in the list of changed files. */
  file(path: string): Locator {
    return this.page.getByRole('table').getByRole('button', { name: path, exact: true });
  }

  /** The file's row: its change and line counts. */
  row(path: string): Locator {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('button', { name: path, exact: true }) });
  }

  async open(path: string): Promise<void> {
    await this.file(path).click();
  }

  /** The selected file's diff table. */
  diff(path: string): Locator {
    return this.page.getByRole('region', { name: `Diff of ${path}` });
  }

  addedLines(path: string): Locator {
    return this.diff(path).locator('td.diff-code[data-kind="add"]');
  }
}
