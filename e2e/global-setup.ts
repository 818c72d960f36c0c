import { randomBytes } from 'node:crypto';
import type { FullConfig } from '@playwright/test';
import { addDevUser } from '@volundr/adapter-identity/embedded/dev-users';
import { startGitHttpServer } from '@volundr/testkit/git-http-server';
import { deleteAllSessions, endLeftovers } from './support/cleanup';
import { linkCodeServer } from './support/code-server';
import { startModelApi } from './support/model-api';
import { buildWeb, startPlatform } from './support/platform';

/**
 * Builds the web app and starts, once for the run: a git server with a repository, the fake
 * model API, and `volundr up` (with the IDE installed). Tests read where they are from the
 * environment. Returns the teardown that stops them all and removes the data dir.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  buildWeb();
  const cleanups: Array<() => Promise<void>> = [];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    // "A local repository": real git over smart HTTP on this machine, cloned by the session.
    const git = await startGitHttpServer();
    cleanups.push(() => git.close());
    await git.createRepo('acme/app', {
      'README.md': '# app\n\nA small repository for the end-to-end tests.\n',
      'src/index.js': 'console.log("hello");\n',
    });
    process.env.VOLUNDR_E2E_GIT_URL = git.url;
    // Sessions run the real Claude Code CLI; the local runtime hands `up`'s model API settings
    // to them, so it answers from the scripted fake instead of Anthropic.
    const modelApi = await startModelApi();
    cleanups.push(() => modelApi.close());
    process.env.VOLUNDR_E2E_MODEL_CONTROL_URL = modelApi.controlUrl;
    const platform = await startPlatform({
      prepare: linkCodeServer,
      env: {
        ANTHROPIC_BASE_URL: modelApi.url,
        ANTHROPIC_API_KEY: 'e2e-key',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      },
    });
    cleanups.push(async () => {
      await deleteAllSessions(platform.url, platform.dataDir).catch((error: unknown) =>
        process.stderr.write(`[e2e] could not delete the run's sessions: ${String(error)}\n`),
      );
      await platform.stop();
      endLeftovers(platform.dataDir);
    });
    process.env.VOLUNDR_E2E_URL = platform.url;
    process.env.VOLUNDR_E2E_DATA_DIR = platform.dataDir;
    process.env.VOLUNDR_E2E_ADMIN_PASSWORD = platform.adminPassword;
    // A developer, as most people are (admins cannot mint tokens, for instance). The embedded
    // provider reads its users at each login, so adding one needs no restart.
    const developerPassword = randomBytes(18).toString('base64url');
    await addDevUser(platform.dataDir, {
      username: 'dana',
      password: developerPassword,
      name: 'Dana Developer',
      email: 'dana@example.test',
      roles: ['volundr:developer'],
    });
    process.env.VOLUNDR_E2E_DEVELOPER_PASSWORD = developerPassword;
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
