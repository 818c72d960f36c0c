/**
 * The fake Anthropic Messages API the sessions' real Claude Code CLI talks to, started by the
 * global setup, and a small control endpoint next to it so tests (in worker processes) can
 * script the next answers and release held ones.
 */
import { createServer, type Server } from 'node:http';
import type { AnthropicStep } from '@volundr/testkit/fake-anthropic/script';
import { type FakeAnthropic, startFakeAnthropic } from '@volundr/testkit/fake-anthropic/server';

export interface ModelApi {
  /** `ANTHROPIC_BASE_URL` for the platform. */
  url: string;
  /** Where tests reach the control endpoint. */
  controlUrl: string;
  close(): Promise<void>;
}

async function readJson(req: import('node:http').IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : null;
}

export async function startModelApi(): Promise<ModelApi> {
  const fake: FakeAnthropic = await startFakeAnthropic();
  const control: Server = createServer((req, res) => {
    const done = (status: number, body: unknown = { ok: true }) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    (async () => {
      const url = new URL(req.url ?? '/', 'http://control');
      if (req.method === 'POST' && url.pathname === '/script') {
        const steps = await readJson(req);
        if (!Array.isArray(steps)) return done(400, { error: 'the body must be an array of steps' });
        fake.setScript(steps as AnthropicStep[]);
        return done(200);
      }
      if (req.method === 'POST' && url.pathname === '/release') {
        fake.release();
        return done(200);
      }
      if (req.method === 'POST' && url.pathname === '/wait-hold') {
        await fake.waitForHold(Number(url.searchParams.get('timeoutMs') ?? 30_000));
        return done(200);
      }
      if (req.method === 'GET' && url.pathname === '/main-requests') {
        return done(200, { count: fake.mainRequests().length });
      }
      return done(404, { error: `no ${req.method} ${url.pathname}` });
    })().catch((error: unknown) => done(500, { error: error instanceof Error ? error.message : String(error) }));
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const address = control.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: fake.url,
    controlUrl: `http://127.0.0.1:${port}`,
    async close() {
      control.closeAllConnections();
      await new Promise<void>((resolve) => control.close(() => resolve()));
      await fake.close();
    },
  };
}

/** The test side of the control endpoint. */
export function modelApiControl(controlUrl: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${controlUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!res.ok) throw new Error(`model API control ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  return {
    /** The next main-line requests of the CLI get these answers, in order. */
    script: (steps: AnthropicStep[]) => call('POST', '/script', steps),
    /** Lets a held answer (`hold: true`) finish streaming. */
    release: () => call('POST', '/release'),
    /** Resolves once an answer is being held. */
    waitForHold: (timeoutMs = 30_000) => call('POST', `/wait-hold?timeoutMs=${timeoutMs}`),
  };
}
