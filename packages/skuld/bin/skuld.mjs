#!/usr/bin/env node
// The bundled broker (`pnpm --filter @volundr/skuld build` writes it).
import '../dist/skuld.mjs';
