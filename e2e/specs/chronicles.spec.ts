import { LaunchPage } from '../pages/LaunchPage';
import { SessionPage } from '../pages/SessionPage';
import { deleteSession } from '../support/api';
import { devToken, reportAsBroker } from '../support/broker-reports';
import { expect, signedInTest as test } from '../support/fixtures';

test('a stopped session’s chronicle: timeline, files, commits, token burn, filters, reforge and chain', async ({
  page,
  platform,
  capture,
  expectAccessible,
}) => {
  test.setTimeout(120_000);
  // A session of dana's, started from the repository.
  const created = page.waitForResponse((r) => r.url().includes('/trpc/sessions.create') && r.ok());
  await new LaunchPage(page).launch({ repo: `${platform.gitUrl}/acme/app.git`, branch: 'main', name: 'chronicled' });
  await created;
  const session = new SessionPage(page);
  await session.waitForState('Running');
  const sessionId = session.sessionId();

  // A known record in the broker's report format: a file, a command, a commit, usage in two
  // five-minute buckets, then the final report.
  const start = Date.now();
  const at = (seconds: number) => new Date(start + seconds * 1000).toISOString();
  const token = devToken(platform.dataDir);
  await reportAsBroker(platform.url, token, sessionId, {
    reports: [
      {
        kind: 'timeline',
        key: 'm1',
        occurredAt: at(2),
        type: 'message',
        t: 2,
        label: 'I will write hello.txt.',
        tokens: 1200,
        model: 'claude-sonnet-4-5',
      },
      {
        kind: 'timeline',
        key: 'f1',
        occurredAt: at(5),
        type: 'file',
        t: 5,
        label: 'hello.txt',
        action: 'created',
        insertions: 1,
        deletions: 0,
      },
      { kind: 'timeline', key: 'c1', occurredAt: at(9), type: 'terminal', t: 9, label: 'cat hello.txt', exitCode: 0 },
      {
        kind: 'timeline',
        key: 'g1',
        occurredAt: at(400),
        type: 'git',
        t: 400,
        label: 'Add hello.txt',
        hash: '0123456789abcdef0123456789abcdef01234567',
      },
      {
        kind: 'usage',
        key: 'u1',
        occurredAt: at(2),
        turnId: 't1',
        model: 'claude-sonnet-4-5',
        inputTokens: 1000,
        outputTokens: 200,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.006,
      },
      {
        kind: 'usage',
        key: 'u2',
        occurredAt: at(400),
        turnId: 't2',
        model: 'claude-sonnet-4-5',
        inputTokens: 3000,
        outputTokens: 500,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.0165,
      },
    ],
  });

  // The Chronicle tab shows it while the session is still there.
  await session.tab('Chronicle').click();
  await expect(page.getByRole('img', { name: /^Token burn: 4\.7K tokens/ })).toBeVisible();
  await expect(page.locator('.timeline')).toContainText('cat hello.txt');
  await capture('session-chronicle-tab');
  await expectAccessible();

  await session.action('Stop').click();
  await session.waitForState('Stopped');
  await reportAsBroker(platform.url, token, sessionId, {
    reports: [
      {
        kind: 'final',
        key: 'final',
        occurredAt: at(420),
        summary: 'Wrote hello.txt and committed it.',
        keyChanges: ['hello.txt says hello'],
        unfinishedWork: 'Add a test for hello.txt.',
        durationSeconds: 420,
      },
    ],
  });

  // The list, with its filters.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chronicles' }).click();
  const item = page.getByRole('link', { name: 'chronicled', exact: true });
  await expect(item).toBeVisible();
  await page.getByLabel('Model').selectOption('claude-sonnet-4-5');
  await expect(item).toBeVisible();
  await page.getByLabel('Tags').fill('no-such-tag');
  await expect(page.getByRole('heading', { name: 'No chronicle matches' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await capture('chronicles-list');
  await expectAccessible();

  // The detail.
  await item.click();
  await expect(page.getByRole('heading', { level: 1, name: 'chronicled' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText('Wrote hello.txt and committed it.');
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText('Add a test for hello.txt.');
  await expect(page.getByRole('region', { name: /^Files/ })).toContainText('hello.txt');
  await expect(page.getByRole('region', { name: 'Commits' })).toContainText('0123456 Add hello.txt');
  await expect(page.getByRole('img', { name: /^Token burn: 4\.7K tokens in 2 buckets/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('cat hello.txt');
  await capture('chronicle-detail');
  await expectAccessible();

  // Reforge: a new session continues it, and the chain links the two once it reports.
  const chronicleUrl = page.url();
  await page.getByRole('button', { name: 'Reforge' }).click();
  await page.getByRole('dialog').getByLabel('Session name').fill('chronicled-2');
  await capture('chronicle-reforge-dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Reforge' }).click();
  await expect(page).toHaveURL(/\/sessions\/[^/]+$/);
  await expect(session.title).toHaveText('chronicled-2');
  await session.waitForState('Running');
  const reforgedId = session.sessionId();
  await reportAsBroker(platform.url, token, reforgedId, {
    reports: [
      {
        kind: 'timeline',
        key: 'm1',
        occurredAt: new Date().toISOString(),
        type: 'message',
        t: 1,
        label: 'Picking up: add a test.',
      },
    ],
  });
  await page.goto(chronicleUrl);
  await expect(page.getByRole('region', { name: 'Chain' }).getByRole('listitem')).toHaveCount(2);
  await expect(page.getByRole('region', { name: 'Chain' }).getByRole('link', { name: 'chronicled-2' })).toBeVisible();
  await deleteSession(platform, reforgedId);
  await deleteSession(platform, sessionId);
});
