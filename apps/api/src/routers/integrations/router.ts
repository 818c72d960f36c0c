import { router } from '../../trpc/trpc';
import { authorize, catalog, connect, disconnect, list, test } from './procedures';

export const integrationsRouter = router({ catalog, list, authorize, connect, disconnect, test });
