import type { TurnBlock } from './chat-reducer';

type FileBlock = Extract<TurnBlock, { kind: 'file' }>;

const ACTION = { created: 'created', modified: 'modified', deleted: 'deleted' } as const;

/** A file the agent changed, with +/− lines when the broker counted them. */
export function FileChip({ file, onOpen }: { file: FileBlock; onOpen?: (path: string) => void }) {
  const content = (
    <>
      <span className={`file-action file-${file.action}`}>{ACTION[file.action]}</span>
      <span className="mono file-path">{file.path}</span>
      {file.insertions !== undefined ? <span className="insertions">+{file.insertions}</span> : null}
      {file.deletions !== undefined ? <span className="deletions">−{file.deletions}</span> : null}
    </>
  );
  return onOpen ? (
    <button type="button" className="file-chip" onClick={() => onOpen(file.path)}>
      {content}
      <span className="visually-hidden">: show in Changes</span>
    </button>
  ) : (
    <span className="file-chip">{content}</span>
  );
}
