import { expect, type Locator, type Page } from '@playwright/test';

export interface LaunchInput {
  repo?: string;
  branch?: string;
  /** Choose `branch` from the branch picker's list (typing its first letters) instead of typing it. */
  pickBranch?: boolean;
  name?: string;
  model?: string;
  initialPrompt?: string;
}

/** The launch wizard: template → details → options → review. */
export class LaunchPage {
  readonly heading: Locator;
  readonly next: Locator;
  readonly launchButton: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Launch a session', level: 1 });
    this.next = page.getByRole('button', { name: 'Next' });
    this.launchButton = page.getByRole('button', { name: 'Launch session' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/launch');
    await expect(this.heading).toBeVisible();
  }

  step(name: string): Locator {
    return this.page.getByRole('heading', { level: 2, name });
  }

  /** The error shown next to a field (the field's accessible description). */
  fieldError(label: string): Locator {
    return this.page
      .locator('.field')
      .filter({ has: this.page.getByLabel(label, { exact: true }) })
      .locator('.field-error');
  }

  async fillDetails(input: LaunchInput): Promise<void> {
    await expect(this.step('Name, model and source')).toBeVisible();
    if (input.repo === undefined) await this.page.getByLabel('An empty workspace').check();
    else {
      await this.page.getByLabel('Repository', { exact: true }).fill(input.repo);
      await this.page.getByLabel('Repository', { exact: true }).blur();
      // Leaving the field suggests a name from the repository; wait for it before typing ours.
      if (input.name !== undefined) await expect(this.page.getByLabel('Session name')).not.toHaveValue('');
      if (input.branch && input.pickBranch) await this.pickBranch(input.branch);
      else if (input.branch) await this.page.getByLabel('Branch').fill(input.branch);
    }
    if (input.name !== undefined) await this.page.getByLabel('Session name').fill(input.name);
    await this.page.getByLabel('Model').selectOption(input.model ?? 'claude-sonnet-4-5');
  }

  /** The branch picker: type the first letters, then choose the branch from the repository's list. */
  async pickBranch(branch: string): Promise<void> {
    const field = this.page.getByRole('combobox', { name: 'Branch' });
    await expect(field).toBeVisible();
    await field.fill(branch.slice(0, 2));
    const name = new RegExp(`^${branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`);
    await this.page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option', { name }).click();
    await expect(field).toHaveValue(branch);
  }

  /** Goes through every step with `input` and launches; resolves on the session's page. */
  async launch(input: LaunchInput): Promise<void> {
    await this.goto();
    await this.next.click();
    await this.fillDetails(input);
    await this.next.click();
    await expect(this.step('Profile, preset, resources and prompts')).toBeVisible();
    if (input.initialPrompt) await this.page.getByLabel('First message').fill(input.initialPrompt);
    await this.next.click();
    await expect(this.step('Review and launch')).toBeVisible();
    await this.launchButton.click();
  }
}
