import { SettingsPage } from '../pages/SettingsPage';
import { expect, signedInTest as test } from '../support/fixtures';

test('a personal access token is shown once, works against the API, and stops working when revoked', async ({
  page,
  platform,
  capture,
  expectAccessible,
}) => {
  const settings = new SettingsPage(page);
  await settings.goto('tokens');
  const name = `e2e-${Date.now()}`;
  const token = await settings.createToken(name);
  expect(token).toMatch(/^vpat_[0-9A-Za-z]{32,}$/);
  await expect(settings.tokenRow(name)).toBeVisible();
  await capture('settings-token-created');
  await expectAccessible();

  const me = () => fetch(`${platform.url}/trpc/me`, { headers: { authorization: `Bearer ${token}` } });
  expect((await me()).status).toBe(200);

  await settings.revokeToken(name);
  await expect(settings.tokenRow(name)).toHaveCount(0);
  expect((await me()).status).toBe(401);
});
