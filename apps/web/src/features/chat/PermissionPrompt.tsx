import type { TurnBlock } from './chat-reducer';

type Permission = Extract<TurnBlock, { kind: 'permission' }>;

const ANSWER = { allowed: 'Allowed', denied: 'Denied', expired: 'Not answered (the turn ended)' } as const;

/** The agent asks before using a tool: show what it wants to do and let the person decide. */
export function PermissionPrompt({
  permission,
  onAnswer,
  connected,
}: {
  permission: Permission;
  onAnswer: (allow: boolean) => void;
  connected: boolean;
}) {
  const titleId = `perm-${permission.requestId}`;
  return (
    <section className="permission" aria-labelledby={titleId} data-answer={permission.answer ?? 'open'}>
      <h4 id={titleId}>
        The agent wants to use <span className="mono">{permission.toolName}</span>
      </h4>
      <pre>
        <code>{JSON.stringify(permission.input, null, 2)}</code>
      </pre>
      {permission.answer ? (
        <p className="permission-answer">{ANSWER[permission.answer]}</p>
      ) : (
        <div className="permission-actions">
          <button type="button" className="btn btn-primary btn-sm" onClick={() => onAnswer(true)} disabled={!connected}>
            Allow
          </button>
          <button type="button" className="btn btn-sm" onClick={() => onAnswer(false)} disabled={!connected}>
            Deny
          </button>
          {!connected ? <span className="muted">Reconnecting — answer once the chat is back.</span> : null}
        </div>
      )}
    </section>
  );
}
