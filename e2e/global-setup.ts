import { randomBytes } from 'node:crypto';
import type { FullConfig } from '@playwright/test';
import { addDevUser } from '@volundr/adapter-identity/embedded/dev-users';
import { startGitHttpServer } from '@volundr/testkit/git-http-server';
import { buildWeb, startPlatform } from './support/platform';

/**
 * Builds the web app and starts `volundr up` once for the run; tests read where it is from
 * the environment. Returns the teardown that stops it and removes its data dir.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  buildWeb();
  // "A local repository": real git over smart HTTP on this machine, cloned by the session.
  const git = await startGitHttpServer();
  await git.createRepo('acme/app', {
    'README.md': '# app\n\nA small repository for the end-to-end tests.\n',
    'src/index.js': 'console.log("hello");\n',
  });
  process.env.VOLUNDR_E2E_GIT_URL = git.url;
  const platform = await startPlatform();
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
  return async () => {
    await platform.stop();
    await git.close();
  };
}
