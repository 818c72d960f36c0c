import type { WebSocketRoute } from '@playwright/test';
import { ChatPanel } from '../pages/ChatPanel';
import { SessionPage } from '../pages/SessionPage';
import { createBlankSession, deleteSession } from '../support/api';
import { expect, signedInTest as test } from '../support/fixtures';
import { modelApiControl } from '../support/model-api';

const FULL_ANSWER =
  'This answer streams in several chunks, and it arrives whole exactly once even though the connection is cut.';

test.describe('chat', () => {
  const made: string[] = [];
  test.afterEach(async ({ platform }) => {
    for (const id of made.splice(0)) await deleteSession(platform, id);
  });

  test('the broker connection is cut mid-answer: the UI shows reconnecting, then the whole answer once', async ({
    page,
    platform,
    capture,
  }) => {
    const model = modelApiControl(platform.modelControlUrl);
    const session = await createBlankSession(platform, 'e2e-reconnect');
    made.push(session.id);

    // Every chat socket of the page goes through here, so the test can cut it and hold off
    // the reconnection until it has seen the UI say so.
    let current: WebSocketRoute | null = null;
    let refuse = false;
    await page.routeWebSocket(/\/ws\/chat/, (ws) => {
      if (refuse) {
        ws.close({ code: 1011, reason: 'refused by the test' });
        return;
      }
      ws.connectToServer();
      current = ws;
    });

    await page.goto(`/sessions/${session.id}`);
    await new SessionPage(page).waitForState('Running');
    const chat = new ChatPanel(page);
    await chat.waitConnected();

    await model.script([{ text: FULL_ANSWER, hold: true }]);
    await chat.send('tell me something');
    await model.waitForHold();
    // Part of the answer is on screen: the cut comes mid-answer.
    await expect(chat.answers().last().locator('.markdown')).toContainText(FULL_ANSWER.slice(0, 4), {
      timeout: 15_000,
    });
    expect((await chat.answers().last().locator('.markdown').textContent())?.trim()).not.toBe(FULL_ANSWER);

    refuse = true;
    (current as WebSocketRoute | null)?.close({ code: 1006, reason: 'cut by the test' });
    await expect(chat.connection).toHaveText(/^Reconnecting/);
    await capture('chat-reconnecting');

    await model.release(); // the answer finishes while this page is away
    refuse = false;
    await chat.waitConnected();
    await expect(chat.answers()).toHaveCount(1);
    await expect(chat.answers().first()).toContainText(FULL_ANSWER);
    await expect(chat.log.getByText(FULL_ANSWER)).toHaveCount(1);
    await expect(chat.log.getByText('tell me something')).toHaveCount(1);
    await capture('chat-reconnected');
  });

  test('two tabs and a pop-out window on one session stay in step', async ({ page, context, platform, capture }) => {
    const model = modelApiControl(platform.modelControlUrl);
    const session = await createBlankSession(platform, 'e2e-tabs');
    made.push(session.id);
    const other = await context.newPage();
    for (const p of [page, other]) {
      await p.goto(`/sessions/${session.id}`);
      await new SessionPage(p).waitForState('Running');
      await new ChatPanel(p).waitConnected();
    }

    await model.script([{ text: 'Answered for every tab.' }]);
    await new ChatPanel(page).send('hello from the first tab');
    for (const p of [page, other]) {
      const chat = new ChatPanel(p);
      await expect(chat.log.getByText('hello from the first tab')).toHaveCount(1);
      await expect(chat.answers().last()).toContainText('Answered for every tab.');
    }

    // The chat popped out into its own window replays the conversation and joins in.
    const popupPromise = context.waitForEvent('page');
    await page.getByRole('button', { name: /^Pop out/ }).click();
    const popup = await popupPromise;
    await expect(popup).toHaveURL(new RegExp(`/popout/${session.id}/chat$`));
    const popped = new ChatPanel(popup);
    await popped.waitConnected();
    await expect(popped.answers().last()).toContainText('Answered for every tab.');
    await model.script([{ text: 'Seen everywhere.' }]);
    await popped.send('from the pop-out');
    for (const p of [page, other, popup])
      await expect(new ChatPanel(p).answers().last()).toContainText('Seen everywhere.');
    await capture('chat-popout', popup);
  });

  test('interrupt stops a running answer, and the model can be switched for the next turns', async ({
    page,
    platform,
    capture,
    expectAccessible,
  }) => {
    const model = modelApiControl(platform.modelControlUrl);
    const session = await createBlankSession(platform, 'e2e-interrupt');
    made.push(session.id);
    await page.goto(`/sessions/${session.id}`);
    await new SessionPage(page).waitForState('Running');
    const chat = new ChatPanel(page);
    await chat.waitConnected();

    await model.script([{ text: 'A long answer that will not finish.', hold: true }]);
    await chat.send('start something long');
    await model.waitForHold();
    await expect(chat.interrupt).toBeVisible();
    await chat.interrupt.click();
    await expect(chat.interrupt).toBeHidden({ timeout: 30_000 });
    await expect(chat.answers().last()).not.toHaveAttribute('aria-busy', 'true');
    await expect(chat.answers().last()).toContainText('Interrupted.');
    await model.release();

    const picker = page.getByLabel('Model', { exact: true });
    await expect(picker).toHaveValue('claude-sonnet-4-5');
    await picker.selectOption('claude-haiku-4-5');
    // The broker confirms with a new `ready` naming the model.
    await expect(picker).toHaveValue('claude-haiku-4-5');
    await model.script([{ text: 'Now answering as Haiku.' }]);
    await chat.send('who are you now?');
    await expect(chat.answers().last()).toContainText('Now answering as Haiku.');
    await capture('chat-interrupt-model');
    await expectAccessible();
  });
});
