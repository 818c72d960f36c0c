import { EmptyState } from '../../components/EmptyState';

/** The session's timeline: waits for the chronicles procedures of the API. */
export function ChroniclePane() {
  return (
    <EmptyState title="Chronicle not available yet">
      This Volundr API does not serve chronicles yet. Once it does, the session’s timeline (messages, file edits,
      commands, commits and token burn) appears here.
    </EmptyState>
  );
}
