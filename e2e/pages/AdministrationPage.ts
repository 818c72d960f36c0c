import { expect, type Locator, type Page } from '@playwright/test';

/** Settings → Administration: the tenant tree, the chosen tenant with its members, users. */
export class AdministrationPage {
  readonly tenantTree: Locator;
  readonly tenantDetails: Locator;
  readonly users: Locator;
  readonly dialog: Locator;

  constructor(private readonly page: Page) {
    this.tenantTree = page.getByRole('group', { name: 'Tenant tree' });
    this.tenantDetails = page.locator('.tenant-details');
    this.users = page.getByRole('region', { name: 'Users', exact: true });
    this.dialog = page.getByRole('dialog');
  }

  async goto(): Promise<void> {
    await this.page.goto('/settings/admin');
    await expect(this.page.getByRole('heading', { name: 'Tenants', level: 2 })).toBeVisible();
  }

  tenant(path: string): Locator {
    return this.tenantTree.getByRole('button', { name: new RegExp(`${path.replace(/[/.-]/g, '\\$&')}$`) });
  }

  async selectTenant(path: string): Promise<void> {
    await this.tenant(path).click();
    await expect(this.tenant(path)).toHaveAttribute('aria-current', 'true');
  }

  async createChild(slug: string, name: string, maxRunningSessions: number): Promise<void> {
    await this.tenantDetails.getByRole('button', { name: 'New tenant below' }).click();
    await this.dialog.getByLabel('Path segment').fill(slug);
    await this.dialog.getByLabel('Name').fill(name);
    await this.dialog.getByLabel('Running sessions at most').fill(String(maxRunningSessions));
    await this.dialog.getByRole('button', { name: 'Create tenant' }).click();
    await expect(this.dialog).toBeHidden();
  }

  async editQuotas(quotas: { maxRunningSessions: number; maxStorageGb: number }): Promise<void> {
    await this.tenantDetails.getByRole('button', { name: 'Edit tenant' }).click();
    await this.dialog.getByLabel('Running sessions at most').fill(String(quotas.maxRunningSessions));
    await this.dialog.getByLabel('Storage (GB) at most').fill(String(quotas.maxStorageGb));
    await this.dialog.getByRole('button', { name: 'Save' }).click();
    await expect(this.dialog).toBeHidden();
  }

  /** The member's row in the chosen tenant (found by its role control, labelled with the member's name). */
  memberRow(name: string): Locator {
    return this.tenantDetails
      .getByRole('row')
      .filter({ has: this.page.getByLabel(`Role of ${name}`, { exact: true }) });
  }

  roleOf(name: string): Locator {
    return this.memberRow(name).getByLabel(`Role of ${name}`, { exact: true });
  }

  async addMember(userId: string, role: 'Administrator' | 'Developer' | 'Viewer'): Promise<void> {
    const form = this.tenantDetails.getByRole('form', { name: /Add a member/ });
    await form.getByLabel('User to add').fill(userId);
    await form.getByLabel('Role').selectOption({ label: role });
    await form.getByRole('button', { name: 'Add member' }).click();
    await expect(this.memberRow(userId)).toBeVisible();
  }

  userRow(userId: string): Locator {
    return this.users
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name: new RegExp(`^${userId}\\b`) }) });
  }
}
