import { EmptyState } from '../../components/EmptyState';

/** Waits for the API's chronicles procedures (list, detail, reforge, chain). */
export function ChroniclesPage() {
  return (
    <div className="page">
      <title>Chronicles · Volundr</title>
      <div className="page-header">
        <h1>Chronicles</h1>
      </div>
      <EmptyState title="Chronicles are not available yet">
        This Volundr API does not serve chronicles yet. Once it does, every session’s record appears here: summary, key
        changes, unfinished work, timeline, files, commits and token burn, with reforge to pick up where it stopped.
      </EmptyState>
    </div>
  );
}
