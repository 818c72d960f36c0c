import type { Chronicle } from '@volundr/contracts/chronicles';
import { Badge } from '../../components/Badge';

export function ChronicleStatusBadge({ chronicle }: { chronicle: Pick<Chronicle, 'status' | 'partial'> }) {
  if (chronicle.status === 'draft') return <Badge tone="info">in progress</Badge>;
  return (
    <Badge tone={chronicle.partial ? 'warning' : 'success'}>
      {chronicle.partial ? 'complete (partial)' : 'complete'}
    </Badge>
  );
}

export const chronicleTitle = (c: Pick<Chronicle, 'sessionName' | 'project' | 'id'>) =>
  c.sessionName ?? c.project ?? c.id;
