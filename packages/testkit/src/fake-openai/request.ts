/**
 * What the fake accepts on `POST /v1/responses`, and helpers tests use on recorded bodies.
 */
import { z } from 'zod';

const ZInputItem = z.looseObject({ type: z.string().optional() });

export const ZResponsesRequest = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(ZInputItem)]),
  stream: z.boolean().optional(),
  instructions: z.string().optional(),
  tools: z.array(z.looseObject({ type: z.string() })).optional(),
});
export type ResponsesRequest = z.infer<typeof ZResponsesRequest>;

/**
 * Main-line requests carry Codex's tools: top-level `tools`, or (for Codex's code-mode models)
 * an `additional_tools` input item. Anything else is auxiliary.
 */
export function isMainResponsesRequest(body: ResponsesRequest): boolean {
  if (Array.isArray(body.tools) && body.tools.length > 0) return true;
  return Array.isArray(body.input) && body.input.some((i) => i.type === 'additional_tools');
}

export interface ToolOutput {
  type: 'function_call_output' | 'custom_tool_call_output';
  call_id: string;
  output: unknown;
}

/** Tool outputs Codex sent back in this request (results of the previous step's calls). */
export function toolOutputsOf(body: ResponsesRequest): ToolOutput[] {
  if (!Array.isArray(body.input)) return [];
  return body.input.filter(
    (i): i is typeof i & ToolOutput => i.type === 'function_call_output' || i.type === 'custom_tool_call_output',
  ) as ToolOutput[];
}

/** The text of the last user message (Codex's environment context excluded). */
export function lastUserText(body: ResponsesRequest): string {
  if (typeof body.input === 'string') return body.input;
  const last = body.input.findLast(
    (i) => i.type === 'message' && i.role === 'user' && !contentText(i.content).startsWith('<environment_context>'),
  );
  return last ? contentText(last.content) : '';
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((c) => (c && typeof c === 'object' && 'text' in c ? String(c.text) : '')).join('');
}
