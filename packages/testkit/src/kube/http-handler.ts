/**
 * The REST surface: decodes a request (route, query, body, content type), calls the store, and
 * answers as the API server would — objects and lists as JSON (or a Table for `kubectl get`),
 * errors as `Status` objects, watches as streams. Every outside input is validated here; nothing
 * a client sends can produce a 500.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, KubeApiError, methodNotAllowed, notFound, unsupportedMediaType } from './api-error';
import { apiGroup, coreVersions, groupList, resourceList, versionInfo } from './discovery';
import { parseFieldSelector } from './field-selector';
import { isPlainObject, type KubeObject, type StoredObject } from './kube-object';
import { parseLabelSelector } from './label-selector';
import type { ObjectStore, PatchType } from './object-store';
import { openApiV3Document, openApiV3Index } from './openapi';
import { ZJsonPatch } from './patch';
import type { PodLogs } from './pod-logs';
import { decodeContinue, encodeContinue, parseQuery, type QueryParams, ZDeleteOptions } from './query-params';
import { parseRoute, type Route } from './request-route';
import type { ResourceType } from './resource-catalog';
import { toTable } from './table';
import { serveWatch } from './watch-stream';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  watch: boolean;
  contentType?: string;
}

export interface HttpHandlerDeps {
  store: ObjectStore;
  logs: PodLogs;
  serverAddress: () => string;
  bookmarkIntervalMs: number;
  /** Called once per request, when the answer (or the watch stream's headers) is decided. */
  record: (request: RecordedRequest) => void;
  /** End functions of the watch streams open now. */
  openWatches: Set<() => void>;
  /** Called for each warning sent back (unknown fields dropped). */
  warned: (warning: { method: string; path: string; message: string }) => void;
}

type Resource = Extract<Route, { kind: 'resource' }>;

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  query: QueryParams;
  warnings: string[];
}

function send(ctx: Ctx, status: number, body: unknown) {
  const payload = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(payload)),
  };
  if (ctx.warnings.length > 0) headers.Warning = ctx.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  ctx.res.writeHead(status, headers);
  ctx.res.end(payload);
}

function sendText(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new KubeApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const mediaType = (req: IncomingMessage) => (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

async function readObject(ctx: Ctx): Promise<unknown> {
  const text = await readBody(ctx.req);
  const type = mediaType(ctx.req);
  if (text.trim() === '') throw badRequest('the request body is empty; an object was expected');
  const yaml = type === 'application/yaml' || type === 'application/apply-patch+yaml';
  if (type !== '' && !yaml && !type.endsWith('json'))
    throw unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    );
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw badRequest(`the request body could not be decoded: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function patchTypeOf(req: IncomingMessage): PatchType {
  switch (mediaType(req)) {
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/json-patch+json':
      return 'json';
    case 'application/apply-patch+yaml':
      return 'apply';
    default:
      throw unsupportedMediaType(
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
}

const wantsTable = (req: IncomingMessage) => /as=Table/.test(req.headers.accept ?? '');

const writeOptions = (ctx: Ctx) => ({
  dryRun: ctx.query.dryRun === 'All',
  ...(ctx.query.fieldValidation ? { fieldValidation: ctx.query.fieldValidation } : {}),
  warn: (message: string) => ctx.warnings.push(message),
});

function successStatus(resource: ResourceType, object: StoredObject) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: object.metadata.name, group: resource.group, kind: resource.plural, uid: object.metadata.uid },
  };
}

const objectKey = (o: StoredObject) => `${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;

export function createRequestHandler(deps: HttpHandlerDeps) {
  const { store } = deps;

  function list(ctx: Ctx, route: Resource) {
    const { resource } = route;
    const query = ctx.query;
    let items = store.list(resource, {
      ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
      labelSelector: parseLabelSelector(query.labelSelector),
      fieldSelector: parseFieldSelector(query.fieldSelector, resource.fieldSelectors),
    });
    let rv = store.resourceVersion;
    if (query.continue) {
      const token = decodeContinue(query.continue);
      rv = token.rv;
      items = items.filter((o) => objectKey(o) > token.after);
    }
    const metadata: Record<string, unknown> = { resourceVersion: rv };
    if (query.limit !== undefined && query.limit > 0 && items.length > query.limit) {
      metadata.continue = encodeContinue({ after: objectKey(items[query.limit - 1]!), rv });
      metadata.remainingItemCount = items.length - query.limit;
      items = items.slice(0, query.limit);
    }
    if (wantsTable(ctx.req))
      return send(ctx, 200, {
        ...toTable(items, rv, query.includeObject ?? 'Metadata', resource.kind === 'Pod'),
        metadata,
      });
    send(ctx, 200, { kind: resource.listKind, apiVersion: resource.apiVersion, metadata, items });
  }

  function watch(ctx: Ctx, route: Resource) {
    const { resource } = route;
    const query = ctx.query;
    const fieldText = route.name
      ? [query.fieldSelector, `metadata.name=${route.name}`].filter(Boolean).join(',')
      : query.fieldSelector;
    serveWatch(
      ctx.req,
      ctx.res,
      store,
      resource,
      {
        ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
        labelSelector: parseLabelSelector(query.labelSelector),
        fieldSelector: parseFieldSelector(fieldText, resource.fieldSelectors),
        ...(query.resourceVersion !== undefined ? { resourceVersion: query.resourceVersion } : {}),
      },
      {
        ...(query.timeoutSeconds !== undefined ? { timeoutSeconds: query.timeoutSeconds } : {}),
        allowWatchBookmarks: query.allowWatchBookmarks === true,
        ...(query.sendInitialEvents !== undefined ? { sendInitialEvents: query.sendInitialEvents } : {}),
        bookmarkIntervalMs: deps.bookmarkIntervalMs,
        open: deps.openWatches,
      },
    );
  }

  async function deleteOptions(ctx: Ctx) {
    const text = await readBody(ctx.req);
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw badRequest('the DeleteOptions body is not valid JSON');
      }
    }
    const parsed = ZDeleteOptions.safeParse(body);
    if (!parsed.success)
      throw badRequest(
        `invalid DeleteOptions: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`,
      );
    const options = parsed.data;
    const orphan = ctx.query.orphanDependents ?? options.orphanDependents;
    const propagationPolicy =
      ctx.query.propagationPolicy ?? options.propagationPolicy ?? (orphan === true ? 'Orphan' : undefined);
    return {
      ...(propagationPolicy ? { propagationPolicy } : {}),
      ...(options.preconditions ? { preconditions: options.preconditions } : {}),
      dryRun: ctx.query.dryRun === 'All' || (options.dryRun ?? []).includes('All'),
    };
  }

  async function collection(ctx: Ctx, route: Resource) {
    const { resource } = route;
    switch (ctx.req.method) {
      case 'GET':
        return ctx.query.watch || route.legacyWatch ? watch(ctx, route) : list(ctx, route);
      case 'POST': {
        if (resource.namespaced && route.namespace === undefined)
          throw methodNotAllowed(`POST is not supported on ${resource.plural} across all namespaces`);
        const body = await readObject(ctx);
        if (!isPlainObject(body)) throw badRequest('the request body must be a JSON object');
        const created = store.create(resource, route.namespace, body as KubeObject, writeOptions(ctx));
        return send(ctx, 201, created);
      }
      case 'DELETE': {
        const options = await deleteOptions(ctx);
        const targets = store.list(resource, {
          ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
          labelSelector: parseLabelSelector(ctx.query.labelSelector),
          fieldSelector: parseFieldSelector(ctx.query.fieldSelector, resource.fieldSelectors),
        });
        const { preconditions: _, ...rest } = options;
        for (const t of targets)
          if (store.find(resource, t.metadata.namespace, t.metadata.name))
            store.delete(resource, t.metadata.namespace, t.metadata.name, rest);
        return send(ctx, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' });
      }
      default:
        throw methodNotAllowed(`${ctx.req.method} is not supported on a collection`);
    }
  }

  async function object(ctx: Ctx, route: Resource & { name: string }) {
    const { resource, name } = route;
    switch (ctx.req.method) {
      case 'GET': {
        if (ctx.query.watch || route.legacyWatch) return watch(ctx, route);
        const found = store.get(resource, route.namespace, name);
        if (wantsTable(ctx.req))
          return send(
            ctx,
            200,
            toTable(
              [found],
              found.metadata.resourceVersion,
              ctx.query.includeObject ?? 'Metadata',
              resource.kind === 'Pod',
            ),
          );
        return send(ctx, 200, found);
      }
      case 'PUT': {
        const body = await readObject(ctx);
        if (!isPlainObject(body)) throw badRequest('the request body must be a JSON object');
        return send(ctx, 200, store.replace(resource, route.namespace, name, body as KubeObject, writeOptions(ctx)));
      }
      case 'PATCH':
        return patch(ctx, route, undefined);
      case 'DELETE': {
        const options = await deleteOptions(ctx);
        const { object: result, removed } = store.delete(resource, route.namespace, name, options);
        return send(ctx, 200, removed && !resource.returnDeletedObject ? successStatus(resource, result) : result);
      }
      default:
        throw methodNotAllowed(`${ctx.req.method} is not supported on an object`);
    }
  }

  async function patch(ctx: Ctx, route: Resource & { name: string }, subresource: 'status' | undefined) {
    const type = patchTypeOf(ctx.req);
    let body = await readObject(ctx);
    if (type === 'json') {
      const parsed = ZJsonPatch.safeParse(body);
      if (!parsed.success)
        throw badRequest(
          `the JSON patch is not valid: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`,
        );
      body = parsed.data;
    }
    const existed = store.find(route.resource, route.namespace, route.name) !== undefined;
    const result = store.patch(route.resource, route.namespace, route.name, type, body, {
      ...writeOptions(ctx),
      ...(subresource ? { subresource } : {}),
      ...(ctx.query.fieldManager ? { fieldManager: ctx.query.fieldManager } : {}),
      ...(ctx.query.force !== undefined ? { force: ctx.query.force } : {}),
    });
    send(ctx, existed ? 200 : 201, result);
  }

  async function status(ctx: Ctx, route: Resource & { name: string }) {
    const { resource, name } = route;
    if (!resource.statusSubresource) throw notFound(resource, `${name}/status`);
    switch (ctx.req.method) {
      case 'GET':
        return send(ctx, 200, store.get(resource, route.namespace, name));
      case 'PUT': {
        const body = await readObject(ctx);
        if (!isPlainObject(body)) throw badRequest('the request body must be a JSON object');
        return send(
          ctx,
          200,
          store.replace(resource, route.namespace, name, body as KubeObject, {
            ...writeOptions(ctx),
            subresource: 'status',
          }),
        );
      }
      case 'PATCH':
        return patch(ctx, route, 'status');
      default:
        throw methodNotAllowed(`${ctx.req.method} is not supported on ${resource.plural}/status`);
    }
  }

  function podLog(ctx: Ctx, route: Resource & { name: string }) {
    const pod = store.get(route.resource, route.namespace, route.name);
    const spec = isPlainObject(pod.spec) ? pod.spec : {};
    const names = [
      ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
      ...(Array.isArray(spec.containers) ? spec.containers : []),
    ]
      .filter(isPlainObject)
      .map((c) => String(c.name));
    const main = (Array.isArray(spec.containers) ? spec.containers : [])
      .filter(isPlainObject)
      .map((c) => String(c.name));
    let container = ctx.query.container;
    if (container === undefined) {
      if (main.length !== 1)
        throw badRequest(
          `a container name must be specified for pod ${route.name}, choose one of: [${main.join(' ')}]`,
        );
      container = main[0]!;
    }
    if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${route.name}`);
    const status = isPlainObject(pod.status) ? pod.status : {};
    const statuses = [
      ...(Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []),
      ...(Array.isArray(status.containerStatuses) ? status.containerStatuses : []),
    ].filter(isPlainObject);
    const own = statuses.find((s) => s.name === container);
    const state = own && isPlainObject(own.state) ? own.state : undefined;
    const started = own !== undefined && state !== undefined && !isPlainObject(state.waiting);
    const restarted = own !== undefined && typeof own.restartCount === 'number' && own.restartCount > 0;
    if (!started && !restarted) {
      const reason =
        state && isPlainObject(state.waiting)
          ? String(state.waiting.reason ?? 'ContainerCreating')
          : 'ContainerCreating';
      throw badRequest(`container "${container}" in pod "${route.name}" is waiting to start: ${reason}`);
    }
    const format = (l: { time: string; text: string }) =>
      ctx.query.timestamps ? `${l.time} ${l.text}\n` : `${l.text}\n`;
    let lines = deps.logs.read(pod.metadata.namespace!, route.name, container);
    if (ctx.query.tailLines !== undefined) lines = ctx.query.tailLines > 0 ? lines.slice(-ctx.query.tailLines) : [];
    if (!ctx.query.follow) return sendText(ctx.res, 200, lines.map(format).join(''));
    ctx.res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    for (const l of lines) ctx.res.write(format(l));
    const stop = deps.logs.follow(pod.metadata.namespace!, route.name, container, (l) => ctx.res.write(format(l)));
    ctx.req.on('close', stop);
  }

  async function finalize(ctx: Ctx, route: Resource & { name: string }) {
    if (ctx.req.method !== 'PUT') throw methodNotAllowed('only PUT is supported on namespaces/finalize');
    const body = await readObject(ctx);
    const spec = isPlainObject(body) && isPlainObject(body.spec) ? body.spec : {};
    const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers.map(String) : [];
    store.get(route.resource, undefined, route.name);
    const result = store.mutate({ resource: route.resource, namespace: '', name: route.name }, (ns) => {
      ns.spec = { ...(isPlainObject(ns.spec) ? ns.spec : {}), finalizers };
    });
    send(ctx, 200, result ?? successStatus(route.resource, store.get(route.resource, undefined, route.name)));
  }

  async function resourceRequest(ctx: Ctx, route: Resource) {
    const { name, subresource, resource } = route;
    if (name === undefined) return collection(ctx, route);
    const named = { ...route, name };
    if (subresource === undefined) return object(ctx, named);
    if (subresource === 'status') return status(ctx, named);
    if (subresource === 'log' && resource.kind === 'Pod' && resource.group === '') {
      if (ctx.req.method !== 'GET') throw methodNotAllowed('only GET is supported on pods/log');
      return podLog(ctx, named);
    }
    if (subresource === 'finalize' && resource.kind === 'Namespace' && resource.group === '')
      return finalize(ctx, named);
    throw notFound(resource, `${name}/${subresource}`);
  }

  async function handle(ctx: Ctx, route: Route) {
    if (route.kind !== 'resource' && ctx.req.method !== 'GET')
      throw methodNotAllowed(`${ctx.req.method} is not supported on ${ctx.url.pathname}`);
    switch (route.kind) {
      case 'root':
        return send(ctx, 200, {
          paths: ['/api', '/api/v1', '/apis', '/healthz', '/openapi/v2', '/openapi/v3', '/version'],
        });
      case 'version':
        return send(ctx, 200, versionInfo());
      case 'health':
        return sendText(ctx.res, 200, 'ok');
      case 'api':
        return send(ctx, 200, coreVersions(deps.serverAddress()));
      case 'apis':
        return send(ctx, 200, groupList());
      case 'group': {
        const group = apiGroup(route.group);
        if (!group) break;
        return send(ctx, 200, group);
      }
      case 'resources': {
        const resources = resourceList(route.apiVersion);
        if (!resources) break;
        return send(ctx, 200, resources);
      }
      case 'openapi-v2':
        // Served only as protobuf by real servers; its absence makes kubectl use /openapi/v3.
        break;
      case 'openapi-v3':
        return send(ctx, 200, openApiV3Index());
      case 'openapi-v3-doc': {
        const doc = openApiV3Document(route.groupVersion);
        if (!doc) break;
        return send(ctx, 200, doc);
      }
      case 'resource':
        return resourceRequest(ctx, route);
      case 'unknown':
        break;
    }
    throw new KubeApiError(404, 'NotFound', 'the server could not find the requested resource');
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const ctx: Ctx = { req, res, url, query: {} as QueryParams, warnings: [] };
    const record = () => {
      deps.record({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.search,
        status: res.statusCode,
        watch: ctx.query.watch === true || url.pathname.includes('/watch/'),
        ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
      });
      for (const message of ctx.warnings) deps.warned({ method: req.method ?? 'GET', path: url.pathname, message });
    };
    const fail = (err: unknown) => {
      const error =
        err instanceof KubeApiError
          ? err
          : new KubeApiError(
              500,
              'InternalError',
              `kube emulator bug: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
            );
      if (res.headersSent) {
        res.destroy();
        return;
      }
      ctx.warnings = [];
      send(ctx, error.code, error.toStatus());
    };
    res.once('close', record);
    try {
      ctx.query = parseQuery(url.searchParams);
      handle(ctx, parseRoute(url.pathname)).catch(fail);
    } catch (err) {
      fail(err);
    }
  };
}
