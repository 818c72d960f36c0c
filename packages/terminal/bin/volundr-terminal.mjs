#!/usr/bin/env node
// Runs the bundled terminal server (`pnpm --filter @volundr/terminal build` makes dist/terminal.mjs).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/terminal.mjs', import.meta.url);
if (!existsSync(bundle)) {
  console.error('volundr-terminal: dist/terminal.mjs is missing; run `pnpm --filter @volundr/terminal build` first');
  process.exit(1);
}
await import(bundle.href);
