/**
 * One REST endpoint of the facade at /api/v1: an HTTP method and path template mapped onto a
 * tRPC procedure, so REST and tRPC share validation, authorization and errors.
 */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under /api/v1 with `{param}` placeholders, e.g. `/sessions/{id}/start`. */
  path: string;
  /** Dotted tRPC procedure path, e.g. `sessions.start`. */
  procedure: string;
  summary: string;
  tag: string;
  /**
   * Builds the procedure input. Default: path params merged over the JSON body (or over the
   * query string for GET/DELETE without a body).
   */
  input?: (parts: {
    params: Record<string, string>;
    query: URLSearchParams;
    body: unknown;
    headers: import('node:http').IncomingHttpHeaders;
  }) => unknown;
  /** Status on success (default 200; 201 for creates, 204 when the procedure returns nothing). */
  status?: number;
  /** For subscriptions: stream the procedure's events as Server-Sent Events. */
  stream?: boolean;
  /** The procedure needs no credentials (shown as such in OpenAPI). */
  public?: boolean;
}
