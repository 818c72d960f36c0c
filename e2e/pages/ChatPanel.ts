import { expect, type Locator, type Page } from '@playwright/test';

/** The Chat tab of a session (in the workspace or a pop-out window). */
export class ChatPanel {
  readonly input: Locator;
  readonly connection: Locator;
  readonly log: Locator;
  readonly interrupt: Locator;

  constructor(private readonly page: Page) {
    this.input = page.getByLabel('Message to the agent');
    this.connection = page.locator('.connection');
    this.log = page.getByRole('log', { name: 'Conversation' });
    this.interrupt = page.getByRole('button', { name: 'Interrupt', exact: true });
  }

  async waitConnected(timeout = 30_000): Promise<void> {
    await expect(this.connection).toHaveText('Connected', { timeout });
  }

  async send(text: string): Promise<void> {
    await this.input.fill(text);
    await this.input.press('Enter');
  }

  answers(): Locator {
    return this.log.getByRole('article', { name: 'Agent answer' });
  }

  toolCard(name: string): Locator {
    return this.log.locator('.tool-card').filter({ has: this.page.locator('.tool-name', { hasText: name }) });
  }

  fileChip(path: RegExp | string): Locator {
    return this.log.locator('.file-chip').filter({ hasText: path });
  }

  permission(toolName: string): Locator {
    return this.log.getByRole('region', { name: `The agent wants to use ${toolName}` });
  }
}
