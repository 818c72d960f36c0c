import { EmptyState } from '../../components/EmptyState';
import { TableScroll } from '../../components/TableScroll';
import { useChatHandle } from '../chat/ChatContext';
import { changedFiles } from './file-changes';

const STATUS = { new: 'new', modified: 'modified', deleted: 'deleted' } as const;

/**
 * The files the agent changed in this conversation (from the broker's file events). Diffs
 * against the session's base need an API procedure that does not exist yet; the list says so.
 */
export function ChangesPane({ highlight }: { highlight?: string | null }) {
  const chat = useChatHandle();
  const files = chat ? changedFiles(chat.state) : [];
  return (
    <div className="page changes">
      <p className="banner" data-tone="info">
        Diffs against the session’s base are not available from this API yet; these are the files the agent reported
        changing in this conversation.
      </p>
      {files.length === 0 ? (
        <EmptyState title="No changes yet">Files the agent creates, edits or deletes appear here.</EmptyState>
      ) : (
        <TableScroll label="Changed files">
          <table className="table">
            <caption className="visually-hidden">Changed files</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Change</th>
                <th scope="col">Lines</th>
                <th scope="col">Turns</th>
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr key={f.path} data-highlight={f.path === highlight || undefined}>
                  <td className="mono">{f.path}</td>
                  <td className={`file-action file-${f.status === 'new' ? 'created' : f.status}`}>
                    {STATUS[f.status]}
                  </td>
                  <td>
                    {f.insertions === null && f.deletions === null ? (
                      <span className="muted">not counted</span>
                    ) : (
                      <>
                        <span className="insertions">+{f.insertions ?? '?'}</span>{' '}
                        <span className="deletions">−{f.deletions ?? '?'}</span>
                      </>
                    )}
                  </td>
                  <td>{f.turns}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
