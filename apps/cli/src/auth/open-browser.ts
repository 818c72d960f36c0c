import { spawn, spawnSync } from 'node:child_process';

/** The program that opens a URL in the person's browser here, if there is one. */
function opener(): string | null {
  if (process.platform === 'darwin') return 'open';
  if (process.platform === 'win32') return null;
  const found = spawnSync('sh', ['-c', 'command -v xdg-open'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
}

/** Opens `url` in a browser, detached; false when there is no way to (then print the URL). */
export function openBrowser(url: string): boolean {
  const program = opener();
  if (!program) return false;
  try {
    const child = spawn(program, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
