import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StaticAsset {
  body: Buffer;
  contentType: string;
}

/**
 * The page's files, served under `<base>/assets/<name>`: xterm.js and its fit addon from the
 * installed packages (no CDN), and our protocol client. Read once at start-up so a missing
 * file fails the start, not a browser's request. The names are a fixed map: request paths
 * never reach the file system.
 */
export function loadStaticAssets(): Map<string, StaticAsset> {
  // Resolved from this module's location: src/ when run from source, dist/ when bundled;
  // both sit one level below the package root, where assets/ and node_modules/ are.
  const require = createRequire(import.meta.url);
  const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
  const xtermDir = dirname(require.resolve('@xterm/xterm/package.json'));
  const fitDir = dirname(require.resolve('@xterm/addon-fit/package.json'));
  const js = 'text/javascript; charset=utf-8';
  const files: Record<string, [string, string]> = {
    'xterm.mjs': [join(xtermDir, 'lib', 'xterm.mjs'), js],
    'xterm.css': [join(xtermDir, 'css', 'xterm.css'), 'text/css; charset=utf-8'],
    'addon-fit.mjs': [join(fitDir, 'lib', 'addon-fit.mjs'), js],
    'client.mjs': [join(packageRoot, 'assets', 'client.mjs'), js],
  };
  const assets = new Map<string, StaticAsset>();
  for (const [name, [path, contentType]] of Object.entries(files)) {
    // Source maps would 404 anyway: drop the comment so devtools does not ask for them.
    const body = readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    assets.set(name, { body: Buffer.from(body, 'utf8'), contentType });
  }
  return assets;
}
