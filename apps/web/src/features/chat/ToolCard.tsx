import { Badge } from '../../components/Badge';
import type { TurnBlock } from './chat-reducer';

type Tool = Extract<TurnBlock, { kind: 'tool' }>;

const SUMMARY_KEYS = ['file_path', 'path', 'command', 'pattern', 'url', 'query', 'description'];

/** The one argument that says what the call does (`hello.txt`, `npm test`). */
export function toolSummary(input: Record<string, unknown>): string | null {
  for (const key of SUMMARY_KEYS) {
    const value = input[key];
    if (typeof value !== 'string' || !value.trim()) continue;
    if (value.length <= 80) return value;
    // A long path reads best by its end (the file), other text by its start.
    return value.startsWith('/') ? `…${value.slice(-79)}` : `${value.slice(0, 79)}…`;
  }
  return null;
}

/** A tool call: name, what it acted on and its status; input and output fold open. */
export function ToolCard({ tool }: { tool: Tool }) {
  const summary = toolSummary(tool.input);
  return (
    <details className="tool-card" data-status={tool.status}>
      <summary>
        <span className="tool-name">{tool.name}</span>
        {summary ? <span className="tool-summary mono">{summary}</span> : null}
        {tool.status === 'running' ? (
          <Badge tone="info">running</Badge>
        ) : tool.status === 'failed' ? (
          <Badge tone="danger">failed</Badge>
        ) : (
          <Badge tone="success">done</Badge>
        )}
      </summary>
      <div className="tool-body">
        <h4>Input</h4>
        <pre>
          <code>{JSON.stringify(tool.input, null, 2)}</code>
        </pre>
        <h4>Output</h4>
        {tool.output === null ? (
          <p className="muted">{tool.status === 'running' ? 'Waiting for the tool…' : 'No output.'}</p>
        ) : (
          <pre className={tool.status === 'failed' ? 'tool-output-error' : undefined}>
            <code>{tool.output || '(empty)'}</code>
          </pre>
        )}
      </div>
    </details>
  );
}
