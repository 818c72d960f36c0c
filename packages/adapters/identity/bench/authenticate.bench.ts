/**
 * How long does validating a bearer JWT cost once the JWKS is cached?
 *
 *   npx tsx packages/adapters/identity/bench/authenticate.bench.ts [iterations]
 *
 * Validates the same token N times through the OIDC adapter (RS256 and ES256), with its
 * verified-token cache (the default: a client polling with one token) and without it (every
 * call checks the signature), and, in the same run, a no-op Identity as the baseline; prints
 * p50/p99/mean per call.
 */
import type { Credentials, Identity } from '@volundr/core/identity/ports/identity';
import { startTestIssuer } from '@volundr/testkit/test-issuer';
import { createOidcIdentity } from '../src/oidc-identity';

const iterations = Number(process.argv[2] ?? 20_000);
if (!Number.isInteger(iterations) || iterations < 100) {
  console.error('iterations must be an integer >= 100');
  process.exit(2);
}

async function measure(identity: Identity, credentials: Credentials): Promise<number[]> {
  for (let i = 0; i < Math.min(2_000, iterations); i += 1) await identity.authenticate(credentials); // JIT warm-up
  const samples = new Array<number>(iterations);
  for (let i = 0; i < iterations; i += 1) {
    const start = process.hrtime.bigint();
    await identity.authenticate(credentials);
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return samples.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const row = (label: string, sorted: number[]) => {
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return `${label.padEnd(24)} p50 ${percentile(sorted, 0.5).toFixed(4)} ms   p99 ${percentile(sorted, 0.99).toFixed(4)} ms   mean ${mean.toFixed(4)} ms`;
};

const issuer = await startTestIssuer();
try {
  const oidc = createOidcIdentity({ issuer: issuer.issuer, audience: 'volundr', verifiedTokenCacheSize: 0 });
  const cached = createOidcIdentity({ issuer: issuer.issuer, audience: 'volundr' });
  await oidc.warmUp();
  await cached.warmUp();
  const claims = { sub: 'bench-user', email: 'bench@example.com', roles: ['volundr:developer'], tenant: 'bench' };
  const rs = { authorization: `Bearer ${await issuer.sign(claims, { alg: 'RS256', expiresIn: 3600 })}`, headers: {} };
  const es = { authorization: `Bearer ${await issuer.sign(claims, { alg: 'ES256', expiresIn: 3600 })}`, headers: {} };
  const principal = await oidc.authenticate(rs);
  const noop: Identity = { authenticate: async () => principal };

  const baseline = await measure(noop, rs);
  const rsSamples = await measure(oidc, rs);
  const esSamples = await measure(oidc, es);
  const cachedSamples = await measure(cached, rs);
  console.log(`node ${process.version}, ${iterations} calls each, JWKS fetched ${issuer.requests.jwks} time(s)`);
  console.log(row('baseline (no-op)', baseline));
  console.log(row('OIDC RS256 (verify)', rsSamples));
  console.log(row('OIDC ES256 (verify)', esSamples));
  console.log(row('OIDC RS256 (remembered)', cachedSamples));
  const overhead = percentile(rsSamples, 0.5) - percentile(baseline, 0.5);
  console.log(`RS256 overhead p50: ${overhead.toFixed(4)} ms (target <= 0.3 ms)`);
} finally {
  await issuer.close();
}
