/** A wait the person can see and a screen reader hears (once). */
export function LoadingState({ label, inline }: { label: string; inline?: boolean }) {
  return (
    <div className={`state${inline ? ' state-inline' : ''}`} role="status" aria-live="polite">
      <div className="spinner" aria-hidden="true" />
      <p>{label}</p>
    </div>
  );
}
