import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';

export function NotFoundPage() {
  return (
    <div className="page">
      <title>Not found · Volundr</title>
      <EmptyState
        title="Page not found"
        actions={
          <Link className="btn btn-primary" to="/">
            Go to sessions
          </Link>
        }
      >
        There is nothing at this address. It may have been a session that was deleted.
      </EmptyState>
    </div>
  );
}
