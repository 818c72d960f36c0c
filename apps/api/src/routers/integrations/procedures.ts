import {
  ZAuthorizeIntegrationInput,
  ZConnectIntegrationInput,
  ZDisconnectedIntegration,
  ZIntegration,
  ZIntegrationAuthorization,
  ZIntegrationCatalogEntry,
  ZIntegrationIdInput,
  ZIntegrationTestResult,
} from '@volundr/contracts/integrations';
import { authorizeIntegrationOAuth } from '@volundr/core/integrations/authorize-integration';
import { connectIntegration } from '@volundr/core/integrations/connect-integration';
import { disconnectIntegration } from '@volundr/core/integrations/disconnect-integration';
import { integrationCatalog } from '@volundr/core/integrations/integration-catalog';
import { listIntegrations } from '@volundr/core/integrations/list-integrations';
import { testIntegration } from '@volundr/core/integrations/test-integration';
import { z } from 'zod';
import { authedProcedure } from '../../trpc/trpc';
import { integrationDeps } from './deps';

/** The GitHub/GitLab instances one can connect to, and how (token, OAuth). */
export const catalog = authedProcedure
  .input(z.strictObject({}).default({}))
  .output(z.array(ZIntegrationCatalogEntry))
  .query(({ ctx }) => integrationCatalog(integrationDeps(ctx.services))(ctx.principal));

/** The caller's integrations (metadata only). */
export const list = authedProcedure
  .input(z.strictObject({}).default({}))
  .output(z.array(ZIntegration))
  .query(({ ctx }) => listIntegrations(integrationDeps(ctx.services))(ctx.principal));

/** Starts an OAuth connection: where to send the browser, and the state to expect back. */
export const authorize = authedProcedure
  .input(ZAuthorizeIntegrationInput)
  .output(ZIntegrationAuthorization)
  .mutation(({ ctx, input }) => authorizeIntegrationOAuth(integrationDeps(ctx.services))(ctx.principal, input));

/** Connects with a personal token, or finishes OAuth with the code and state. */
export const connect = authedProcedure
  .input(ZConnectIntegrationInput)
  .output(ZIntegration)
  .mutation(({ ctx, input }) => connectIntegration(integrationDeps(ctx.services))(ctx.principal, input));

export const disconnect = authedProcedure
  .input(ZIntegrationIdInput)
  .output(ZDisconnectedIntegration)
  .mutation(({ ctx, input }) => disconnectIntegration(integrationDeps(ctx.services))(ctx.principal, input.id));

/** Asks the provider who the token belongs to (refreshing it first when due). */
export const test = authedProcedure
  .input(ZIntegrationIdInput)
  .output(ZIntegrationTestResult)
  .mutation(({ ctx, input }) => testIntegration(integrationDeps(ctx.services))(ctx.principal, input.id));
