import { connect } from 'node:net';
import { CliError, exitCodes } from '../output';

const CONNECT_DEADLINE_MS = 4_000;
const reachable = new Set<string>();

const reasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host',
};

export interface Peer {
  /** How messages name it: "the Volundr server", "the identity provider". */
  what?: string;
  hint?: string;
}

export function unreachable(url: string, reason: string, peer: Peer = {}): CliError {
  return new CliError(
    `cannot reach ${peer.what ?? 'the Volundr server'} at ${url} (${reason})`,
    peer.hint ?? 'is it running, and is the address right? (see: volundr context ls; or pass --server URL)',
    exitCodes.unreachable,
  );
}

/** The reason of a network error as a person reads it (fetch wraps the socket error in `cause`). */
export function networkReason(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && reasons[code]) return reasons[code];
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Opens (and closes) a TCP connection to the server before the first request, so an
 * unreachable server is reported within seconds rather than after fetch's own long timeouts.
 */
export async function ensureReachable(baseUrl: string, peer: Peer = {}): Promise<void> {
  const url = new URL(baseUrl);
  const key = url.host + url.protocol;
  if (reachable.has(key)) return;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(unreachable(baseUrl, `no connection within ${CONNECT_DEADLINE_MS / 1000} s`, peer));
    }, CONNECT_DEADLINE_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(unreachable(baseUrl, networkReason(error) ?? error.message, peer));
    });
  });
  reachable.add(key);
}
