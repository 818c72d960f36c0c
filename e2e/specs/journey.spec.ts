import { join } from 'node:path';
import { AppLoginPage } from '../pages/AppLoginPage';
import { ChangesPanel } from '../pages/ChangesPanel';
import { ChatPanel } from '../pages/ChatPanel';
import { LaunchPage } from '../pages/LaunchPage';
import { SessionPage } from '../pages/SessionPage';
import { deleteSession } from '../support/api';
import { expect, test } from '../support/fixtures';
import { modelApiControl } from '../support/model-api';

test('the journey: sign in, launch from a local repository (branch picked from its list), watch it start, chat writes a file, terminal, IDE, changes with their diff, stop, chronicle, reforge', async ({
  page,
  platform,
  capture,
  expectAccessible,
}) => {
  test.setTimeout(180_000);
  const model = modelApiControl(platform.modelControlUrl);

  await new AppLoginPage(page).signIn('dana', platform.developerPassword);

  await new LaunchPage(page).launch({
    repo: `${platform.gitUrl}/acme/app.git`,
    branch: 'main',
    pickBranch: true,
    name: 'journey',
  });
  const session = new SessionPage(page);
  await session.waitForState('Running');
  const workspace = join(platform.dataDir, 'sessions', session.sessionId(), 'workspace');
  // How it started: every provisioning step, the clone of the repository among them.
  await page.getByText(/^Started in \d+:\d\d$/).click();
  await expect(page.locator('.startup .steps li')).not.toHaveCount(0);
  await expect(page.locator('.startup .steps li:not([data-status="done"])')).toHaveCount(0);
  await expect(page.locator('.startup .steps')).toContainText('clone');
  await capture('session-started-steps');
  await page.getByText(/^Started in/).click();

  // Changes, popped out before the agent works: nothing yet, then the chat's file event refreshes it.
  const changes = new ChangesPanel(page);
  await session.tab('Changes').click();
  await expect(changes.noChanges).toBeVisible();
  const [changesWindow] = await Promise.all([
    page.waitForEvent('popup'),
    page.getByRole('button', { name: /^Pop out/ }).click(),
  ]);
  const poppedChanges = new ChangesPanel(changesWindow);
  await expect(poppedChanges.noChanges).toBeVisible();
  await session.tab('Chat').click();

  // Chat: the real Claude Code CLI, answering from the scripted model API.
  const chat = new ChatPanel(page);
  await chat.waitConnected();
  await model.script([
    {
      text: 'I will write hello.txt.',
      toolUse: { name: 'Write', input: { file_path: join(workspace, 'hello.txt'), content: 'hello from volundr\n' } },
    },
    { text: 'Done: **hello.txt** now says hello.' },
  ]);
  await chat.send('write hello.txt');
  await expect(chat.log.getByText('write hello.txt')).toBeVisible();
  const permission = chat.permission('Write');
  await expect(permission).toBeVisible({ timeout: 60_000 });
  await capture('chat-permission');
  await permission.getByRole('button', { name: 'Allow' }).click();
  await expect(chat.toolCard('Write')).toContainText('done', { timeout: 60_000 });
  await expect(chat.fileChip('hello.txt')).toBeVisible();
  await expect(chat.answers().last()).toContainText('hello.txt now says hello');
  await expect(chat.answers().last().locator('strong')).toHaveText('hello.txt');
  await capture('chat-answer');
  await expectAccessible();
  // The popped-out Changes window was never touched: the chat's file event refreshed it.
  await expect(poppedChanges.file('hello.txt')).toBeVisible();
  await changesWindow.close();

  // Terminal: the same workspace, a real shell.
  await session.tab('Terminal').click();
  const terminal = page.frameLocator('iframe[title="Terminal"]');
  // Type once the shell is there: input sent before the terminal's socket opens is dropped.
  await expect(
    terminal
      .locator('.xterm-rows > div')
      .filter({ hasText: /[$#]\s*$/ })
      .first(),
  ).toBeVisible({
    timeout: 30_000,
  });
  await terminal.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type('cat hello.txt\n');
  await expect(terminal.locator('.xterm-rows > div').filter({ hasText: 'hello from volundr' }).first()).toBeVisible({
    timeout: 30_000,
  });
  await capture('session-terminal');

  // IDE: code-server's workbench on the session's workspace.
  await session.tab('IDE').click();
  const ide = page.frameLocator('iframe[title="IDE"]');
  await expect(ide.locator('.monaco-workbench')).toBeVisible({ timeout: 90_000 });
  await capture('session-ide');

  // Changes: the file the agent wrote, added since the session started, with its diff.
  await session.tab('Changes').click();
  await expect(changes.row('hello.txt')).toContainText('added');
  await expect(changes.row('hello.txt')).toContainText('+1');
  await changes.open('hello.txt');
  await expect(changes.diff('hello.txt')).toContainText('hello from volundr');
  await expect(changes.addedLines('hello.txt')).toHaveCount(1);
  await capture('session-changes');
  await expectAccessible();
  await changes.layout.selectOption('split');
  await expect(changes.addedLines('hello.txt')).toHaveText(/hello from volundr/);
  await changes.base.selectOption('last-commit');
  await expect(changes.row('hello.txt')).toContainText('added');
  await expect(changes.addedLines('hello.txt')).toHaveText(/hello from volundr/);
  await capture('session-changes-split-last-commit');
  await changes.layout.selectOption('unified');

  // Stop: the broker's final report completes the chronicle.
  await session.action('Stop').click();
  await session.waitForState('Stopped');

  // The broker's reports (usage, timeline, final report) make the session's chronicle.
  await session.tab('Chronicle').click();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('img', { name: /^Token burn:/ })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.timeline')).toContainText('hello.txt');
  await capture('session-chronicle');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chronicles' }).click();
  await page.getByRole('link', { name: 'journey', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'journey' })).toBeVisible();
  await expect(page.getByRole('region', { name: /^Files/ })).toContainText('hello.txt');
  await expect(page.getByRole('img', { name: /^Token burn:/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('hello.txt');
  await capture('chronicle-journey');
  await expectAccessible();

  // Reforge: a new session continues the work.
  await page.getByRole('button', { name: 'Reforge' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reforge' }).click();
  await expect(page).toHaveURL(/\/sessions\/[^/]+$/);
  await expect(session.title).toHaveText(/^journey-reforged/);
  await session.waitForState('Running');
  await capture('session-reforged');
  await deleteSession(platform, session.sessionId());
});
