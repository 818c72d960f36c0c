/**
 * A contract server for the part of the Vault / OpenBao HTTP API Volundr uses: the KV version 2
 * engine (`<mount>/data/<path>` GET/POST/PUT/DELETE with versions, `<mount>/metadata/<path>`
 * DELETE), token checks (`X-Vault-Token`, 403 `permission denied`), Kubernetes auth login
 * (`auth/<mount>/login` with a role and a JWT it was told about), and `sys/health`. Answers
 * carry Vault's shapes: `{ data: { data, metadata } }`, `{ errors: [...] }`, 204 on writes
 * without content... enough that a client written against Vault's documentation works here.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Version {
  data: Record<string, string>;
  created: string;
  deleted: string | null;
}

export interface VaultKvServer {
  url: string;
  /** A token with access to everything (the root token). */
  rootToken: string;
  /** Accept `jwt` for `role` at `auth/<mountPath>/login`, issuing tokens with this lease (seconds). */
  allowKubernetesLogin(role: string, jwt: string, leaseSeconds?: number, mountPath?: string): void;
  /** Current data at `<mount>/<path>` (no version metadata), for assertions; null when none. */
  read(mount: string, path: string): Record<string, string> | null;
  /** Every path written so far under a mount. */
  paths(mount: string): string[];
  /** Revokes every token issued by logins (as an expired lease would). */
  revokeLoginTokens(): void;
  readonly requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

export async function startVaultKvServer(options: { mounts?: string[] } = {}): Promise<VaultKvServer> {
  const mounts = new Set(options.mounts ?? ['secret']);
  const rootToken = `hvs.root-${randomBytes(8).toString('hex')}`;
  const tokens = new Set([rootToken]);
  const loginTokens = new Set<string>();
  const logins = new Map<string, { jwt: string; lease: number }>();
  const store = new Map<string, Version[]>();
  const requests: VaultKvServer['requests'] = [];

  const send = (res: ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) {
      res.writeHead(status);
      res.end();
    } else {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    }
    return status;
  };
  const readJson = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? JSON.parse(text) : {};
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const url = new URL(req.url ?? '/', 'http://vault');
    if (!url.pathname.startsWith('/v1/')) return send(res, 404, { errors: [] });
    const path = url.pathname.slice(4).split('/').map(decodeURIComponent).join('/');
    if (path === 'sys/health')
      return send(res, 200, { initialized: true, sealed: false, standby: false, version: '1.15.0' });
    const login = /^auth\/(.+)\/login$/.exec(path);
    if (login && req.method === 'POST') {
      const body = (await readJson(req)) as { role?: string; jwt?: string };
      const allowed = logins.get(`${login[1]}:${body.role}`);
      if (!allowed || allowed.jwt !== body.jwt) return send(res, 403, { errors: ['permission denied'] });
      const token = `hvs.k8s-${randomBytes(8).toString('hex')}`;
      tokens.add(token);
      loginTokens.add(token);
      return send(res, 200, {
        auth: { client_token: token, lease_duration: allowed.lease, renewable: true, policies: ['volundr'] },
      });
    }
    const token = String(req.headers['x-vault-token'] ?? '');
    if (!tokens.has(token)) return send(res, 403, { errors: ['permission denied'] });
    const kv = /^([^/]+)\/(data|metadata)\/(.+)$/.exec(path);
    if (!kv || !mounts.has(kv[1]!))
      return send(res, 404, { errors: [`no handler for route "${path}". route entry not found.`] });
    const key = `${kv[1]}/${kv[3]}`;
    const versions = store.get(key) ?? [];
    const latest = versions.at(-1);
    const metadata = (v: Version, n: number) => ({
      created_time: v.created,
      deletion_time: v.deleted ?? '',
      destroyed: false,
      version: n,
      custom_metadata: null,
    });
    if (kv[2] === 'data') {
      if (req.method === 'GET') {
        if (!latest) return send(res, 404, { errors: [] });
        if (latest.deleted)
          return send(res, 404, { data: { data: null, metadata: metadata(latest, versions.length) } });
        return send(res, 200, {
          request_id: randomBytes(8).toString('hex'),
          data: { data: latest.data, metadata: metadata(latest, versions.length) },
        });
      }
      if (req.method === 'POST' || req.method === 'PUT') {
        const body = (await readJson(req)) as { data?: unknown };
        if (typeof body.data !== 'object' || body.data === null || Array.isArray(body.data))
          return send(res, 400, { errors: ['no data provided'] });
        const version: Version = {
          data: body.data as Record<string, string>,
          created: new Date().toISOString(),
          deleted: null,
        };
        store.set(key, [...versions, version]);
        return send(res, 200, { data: metadata(version, versions.length + 1) });
      }
      if (req.method === 'DELETE') {
        if (latest) latest.deleted = new Date().toISOString();
        return send(res, 204);
      }
    }
    if (kv[2] === 'metadata' && req.method === 'DELETE') {
      store.delete(key);
      return send(res, 204);
    }
    return send(res, 405, { errors: ['unsupported operation'] });
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://vault').pathname;
    handle(req, res).then(
      (status) => requests.push({ method: req.method ?? 'GET', path, status }),
      (error: Error) => {
        if (!res.headersSent) send(res, 500, { errors: [error.message] });
        requests.push({ method: req.method ?? 'GET', path, status: 500 });
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    rootToken,
    allowKubernetesLogin(role, jwt, leaseSeconds = 3600, mountPath = 'kubernetes') {
      logins.set(`${mountPath}:${role}`, { jwt, lease: leaseSeconds });
    },
    read(mount, path) {
      const latest = store.get(`${mount}/${path}`)?.at(-1);
      return latest && !latest.deleted ? { ...latest.data } : null;
    },
    paths: (mount) => [...store.keys()].filter((k) => k.startsWith(`${mount}/`)).map((k) => k.slice(mount.length + 1)),
    revokeLoginTokens() {
      for (const t of loginTokens) tokens.delete(t);
      loginTokens.clear();
    },
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
