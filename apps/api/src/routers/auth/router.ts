import { router } from '../../trpc/trpc';
import { config } from './config';

export const authRouter = router({ config });
