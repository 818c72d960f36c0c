/** Attribute values a span may carry (OpenTelemetry's primitive attribute values). */
export type SpanAttributes = Record<string, string | number | boolean>;

export interface SpanOptions {
  /** Start a new trace instead of joining the caller's (work that outlives any request). */
  root?: boolean;
}

/**
 * Tracing as the core sees it: run `fn` inside a span named `name`. Spans opened inside `fn`
 * (also across awaits) are its children. A thrown error marks the span failed and is rethrown.
 * The default is `noopTracer`; the API wires OpenTelemetry when it is configured.
 */
export interface Tracer {
  span<T>(name: string, attributes: SpanAttributes, fn: () => Promise<T>, options?: SpanOptions): Promise<T>;
}

export const noopTracer: Tracer = {
  span: (_name, _attributes, fn) => fn(),
};
