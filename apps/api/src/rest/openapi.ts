import type { AnyRouter } from '@trpc/server';
import { ZApiError } from '@volundr/contracts/errors';
import { z } from 'zod';
import { REST_PREFIX } from './rest-handler';
import type { RestRoute } from './rest-route';

interface ProcedureDef {
  type: 'query' | 'mutation' | 'subscription';
  inputs: z.ZodType[];
  output?: z.ZodType;
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;

/** OpenAPI 3 document of the REST facade, generated from the procedures' own zod schemas. */
export function buildOpenApi(router: AnyRouter, routes: RestRoute[], info: { version: string; serverUrl?: string }) {
  const procedures = router._def.procedures as Record<string, { _def: ProcedureDef }>;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const def = procedures[route.procedure]?._def;
    if (!def) throw new Error(`REST route ${route.method} ${route.path} names unknown procedure ${route.procedure}`);
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    const input = def.inputs[0];
    const inputSchema = input ? jsonSchema(input, 'input') : undefined;
    const bodyless = route.method === 'GET' || route.method === 'DELETE';
    const properties = (inputSchema?.properties ?? {}) as Record<string, unknown>;
    const required = new Set((inputSchema?.required as string[] | undefined) ?? []);
    const parameters = [
      ...params.map((name) => ({ name, in: 'path', required: true, schema: properties[name] ?? { type: 'string' } })),
      ...(bodyless
        ? Object.entries(properties)
            .filter(([name]) => !params.includes(name))
            .map(([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }))
        : []),
    ];
    const status = String(route.status ?? (def.output ? 200 : 204));
    const operation: Record<string, unknown> = {
      operationId: route.procedure.replace(/\./g, '_'),
      summary: route.summary,
      tags: [route.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(!bodyless && inputSchema
        ? { requestBody: { required: true, content: { 'application/json': { schema: inputSchema } } } }
        : {}),
      responses: {
        [status]: route.stream
          ? {
              description: 'Server-Sent Events; resume with the Last-Event-ID header',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            }
          : def.output && status !== '204'
            ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(def.output, 'output') } } }
            : { description: 'No content' },
        default: {
          description: 'Error (the `code` is stable; see docs/errors.md)',
          content: {
            'application/json': { schema: { type: 'object', properties: { error: jsonSchema(ZApiError, 'output') } } },
          },
        },
      },
      ...(route.public ? { security: [] } : {}),
    };
    const key = `${REST_PREFIX}${route.path}`;
    paths[key] = { ...(paths[key] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Volundr API',
      version: info.version,
      description:
        'REST facade over the same procedures as /trpc. Authenticate with a bearer token (OIDC access token or personal access token).',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT or vpat_ token' } } },
    paths,
  };
}
