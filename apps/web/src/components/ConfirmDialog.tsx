import type { ReactNode } from 'react';
import { toUiError } from '../api/api-error';
import { Dialog } from './Dialog';

/**
 * "Are you sure?" for something that cannot be undone: what happens (`children`), the action's
 * error if it failed, Cancel, and the danger button (disabled, with `pendingLabel`, while it runs).
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  pendingLabel,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog open title={title} onClose={onClose}>
      {children}
      {error ? (
        <p className="field-error" role="alert">
          {toUiError(error).message}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn-danger" disabled={pending} onClick={onConfirm}>
          {pending ? pendingLabel : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
