/**
 * The driver's own client inside a drizzle transaction (postgres.js `TransactionSql`, or PGlite's
 * `Transaction`). drizzle keeps it on the transaction's session; we need it for the things drizzle
 * does not offer on both drivers: multi-statement scripts (PGlite's `exec`) and parameters given
 * as a text with `$n` placeholders. drizzle-orm is pinned (0.45.x) and the integration tests on
 * both drivers exercise this path, so a change in drizzle's internals fails a test, not production.
 */
export function transactionClient<T>(tx: unknown, has: (client: object) => boolean): T {
  // postgres.js clients are functions (tagged templates), PGlite's are objects.
  const client = (tx as { _?: { session?: { client?: unknown } } })._?.session?.client;
  if ((typeof client !== 'object' && typeof client !== 'function') || client === null || !has(client)) {
    throw new Error(
      'drizzle transaction has no driver client (drizzle-orm internals changed; see transaction-client.ts)',
    );
  }
  return client as T;
}
