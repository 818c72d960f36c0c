import { formatDuration, formatTokens, formatUsd } from '../../components/format';
import type { TurnBlock, TurnView } from './chat-reducer';
import { FileChip } from './FileChip';
import { Markdown } from './Markdown';
import { PermissionPrompt } from './PermissionPrompt';
import { ToolCard } from './ToolCard';

/** One agent turn: text, thinking, tool cards, file chips and prompts in the order they came. */
export function Turn({
  turn,
  connected,
  onAnswer,
  onOpenFile,
}: {
  turn: TurnView;
  connected: boolean;
  onAnswer: (requestId: string, allow: boolean) => void;
  onOpenFile?: (path: string) => void;
}) {
  return (
    <article className="turn" data-status={turn.status} aria-busy={turn.status === 'running'} aria-label="Agent answer">
      {turn.blocks.map((block, index) => (
        <Block
          key={blockKey(block, index)}
          block={block}
          connected={connected}
          onAnswer={onAnswer}
          {...(onOpenFile ? { onOpenFile } : {})}
        />
      ))}
      {turn.status === 'running' && turn.blocks.length === 0 ? <p className="muted typing">Working…</p> : null}
      {turn.status === 'failed' && turn.error?.code === 'interrupted' ? (
        <p className="muted turn-interrupted">Interrupted.</p>
      ) : turn.status === 'failed' && turn.error ? (
        <p className="turn-error" role="alert">
          The turn failed: {turn.error.message} <span className="mono">({turn.error.code})</span>
        </p>
      ) : null}
      {turn.status === 'completed' && turn.usage ? (
        <footer className="turn-usage">
          {formatTokens(turn.usage.inputTokens)} in · {formatTokens(turn.usage.outputTokens)} out
          {turn.usage.cacheReadTokens ? ` · ${formatTokens(turn.usage.cacheReadTokens)} cached` : ''}
          {turn.costUsd !== null ? ` · ${formatUsd(turn.costUsd)}` : ''}
          {turn.durationMs !== null ? ` · ${formatDuration(turn.durationMs)}` : ''}
        </footer>
      ) : null}
    </article>
  );
}

function blockKey(block: TurnBlock, index: number): string {
  switch (block.kind) {
    case 'tool':
      return `tool-${block.toolUseId}`;
    case 'file':
      return `file-${block.path}`;
    case 'permission':
      return `permission-${block.requestId}`;
    default:
      return `${block.kind}-${index}`;
  }
}

function Block({
  block,
  connected,
  onAnswer,
  onOpenFile,
}: {
  block: TurnBlock;
  connected: boolean;
  onAnswer: (requestId: string, allow: boolean) => void;
  onOpenFile?: (path: string) => void;
}) {
  switch (block.kind) {
    case 'text':
      return <Markdown text={block.text} />;
    case 'thinking':
      return (
        <details className="thinking">
          <summary>Thinking</summary>
          <p>{block.text}</p>
        </details>
      );
    case 'tool':
      return <ToolCard tool={block} />;
    case 'file':
      return <FileChip file={block} {...(onOpenFile ? { onOpen: onOpenFile } : {})} />;
    case 'permission':
      return (
        <PermissionPrompt
          permission={block}
          connected={connected}
          onAnswer={(allow) => onAnswer(block.requestId, allow)}
        />
      );
  }
}
