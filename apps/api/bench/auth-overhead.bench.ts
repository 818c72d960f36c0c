// What authentication costs a request: the same no-op procedure (system.info) over HTTP with a
// valid bearer JWT of the embedded issuer (JWKS cached, user already provisioned) and without
// any credentials, alternated so both see the same machine. Target: overhead p50 ≤ 0.3 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { mintDevToken } from '@volundr/adapter-identity/embedded/dev-token';
import { percentile, reportFigure } from '@volundr/testkit/bench';
import { startApi } from '../src/start-api';

const dataDir = mkdtempSync(join(tmpdir(), 'volundr-bench-auth-'));
const api = await startApi({
  env: {},
  flags: { dataDir, 'server.port': 0, 'logging.level': 'silent' },
  logDestination: new Writable({ write: (_c, _e, done) => done() }),
});
const token = await mintDevToken({ dataDir, user: 'bench', issuer: api.issuer!, ttlSeconds: 3600 });

function call(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      { host: '127.0.0.1', port: api.port, path: '/trpc/me', method: 'GET', headers, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - started));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
function callInfo(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      { host: '127.0.0.1', port: api.port, path: '/trpc/system.info', method: 'GET', headers },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          else resolve(performance.now() - started);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const bearer = { authorization: `Bearer ${token}` };
await call(bearer); // first request provisions the user and loads the JWKS
for (let i = 0; i < 300; i++) await callInfo(i % 2 ? bearer : {});

const authed: number[] = [];
const anonymous: number[] = [];
for (let i = 0; i < 3000; i++) {
  anonymous.push(await callInfo({}));
  authed.push(await callInfo(bearer));
}
const overhead = percentile(authed, 50) - percentile(anonymous, 50);
reportFigure({
  name: 'auth.overhead.p50',
  value: overhead,
  unit: 'ms',
  baseline: { label: 'unauthenticated no-op p50', value: percentile(anonymous, 50) },
  target: '≤ 0.3 ms',
  met: overhead <= 0.3,
});
reportFigure({
  name: 'auth.request.p99',
  value: percentile(authed, 99),
  unit: 'ms',
  baseline: { label: 'unauthenticated p99', value: percentile(anonymous, 99) },
});
await api.stop();
rmSync(dataDir, { recursive: true, force: true });
