/**
 * A watch over HTTP: one chunked 200 response carrying newline-delimited `{type, object}` events,
 * as the API server streams them. A resourceVersion too old to resume from answers 200 with one
 * `ERROR` event holding a 410 `Expired` Status, then ends (what informers expect before relisting).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { KubeApiError } from './api-error';
import type { ObjectStore, WatchHandle, WatchSpec } from './object-store';
import type { ResourceType } from './resource-catalog';

export interface WatchStreamOptions {
  timeoutSeconds?: number;
  /** Lets the server end every open watch at once (`dropWatches()`, like an API server restart). */
  open: Set<() => void>;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  bookmarkIntervalMs: number;
}

export function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  store: ObjectStore,
  resource: ResourceType,
  spec: WatchSpec,
  options: WatchStreamOptions,
): void {
  const head = () => {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.socket?.setNoDelay(true);
    res.flushHeaders();
  };
  const bookmark = (annotations?: Record<string, string>) =>
    JSON.stringify({
      type: 'BOOKMARK',
      object: {
        kind: resource.kind,
        apiVersion: resource.apiVersion,
        metadata: { resourceVersion: store.resourceVersion, ...(annotations ? { annotations } : {}) },
      },
    });
  let handle: WatchHandle | undefined;
  let timeout: NodeJS.Timeout | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    handle?.stop();
    options.open.delete(finish);
    clearTimeout(timeout);
    clearInterval(ticker);
    if (!res.writableEnded) res.end();
  };

  let from = spec.resourceVersion;
  const fresh = from === undefined || from === '' || from === '0';
  if (options.sendInitialEvents === true) from = '';
  else if (options.sendInitialEvents === false && fresh) from = store.resourceVersion;
  // Lines produced while registering (initial events, replayed history) wait for the headers;
  // a bad request must still be able to answer with an error status instead of a 200.
  const pending: string[] = [];
  let streaming = false;
  try {
    handle = store.watch(resource, { ...spec, resourceVersion: from }, (line) => {
      if (finished) return;
      if (streaming) res.write(`${line}\n`);
      else pending.push(line);
    });
  } catch (err) {
    if (err instanceof KubeApiError && err.code === 410) {
      head();
      res.write(`${JSON.stringify({ type: 'ERROR', object: err.toStatus() })}\n`);
      finish();
      return;
    }
    throw err;
  }
  req.on('close', finish);
  res.on('close', finish);
  options.open.add(finish);
  head();
  if (pending.length > 0) res.write(`${pending.join('\n')}\n`);
  streaming = true;
  if (options.sendInitialEvents === true && options.allowWatchBookmarks)
    res.write(`${bookmark({ 'k8s.io/initial-events-end': 'true' })}\n`);
  if (options.allowWatchBookmarks)
    ticker = setInterval(() => {
      if (!finished) res.write(`${bookmark()}\n`);
    }, options.bookmarkIntervalMs);
  if (options.timeoutSeconds !== undefined && options.timeoutSeconds > 0)
    timeout = setTimeout(finish, options.timeoutSeconds * 1000);
}
