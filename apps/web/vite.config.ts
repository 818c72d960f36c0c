import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `vite dev` forwards API and session paths to a running `volundr up` (same origin in
// production: the front door serves this build next to the API).
const target = process.env.VOLUNDR_URL ?? 'http://127.0.0.1:8080';
const forward = { target, changeOrigin: false, ws: true };

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/trpc': forward, '/api': forward, '/oidc': forward, '/s/': forward },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    // Written by the build so scripts/bundle-size.mjs can tell initial chunks from lazy ones.
    manifest: true,
    // The entry chunk (React, router, query, tRPC, OIDC, zod) is budgeted by scripts/bundle-size.mjs instead.
    chunkSizeWarningLimit: 700,
  },
});
