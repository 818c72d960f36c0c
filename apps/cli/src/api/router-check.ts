/**
 * Compile-time agreement between `procedures.ts` and the API's `AppRouter`: every procedure the
 * CLI calls exists in the router, the router's output fits the schema the CLI checks with, and
 * the CLI's input fits the router's input. A mismatch fails `tsc` naming the procedure.
 */
import type { TRPCClient } from '@trpc/client';
import type { AppRouter } from '@volundr/api/routers/app-router';
import type { z } from 'zod';
import type { ProcedurePath, Procedures } from './procedures';

type Client = TRPCClient<AppRouter>;

type At<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? At<T[Head], Rest>
    : never
  : P extends keyof T
    ? T[P]
    : never;

// biome-ignore lint/suspicious/noExplicitAny: matching any resolver signature
type AnyFn = (...args: any[]) => any;
type Untracked<T> = T extends { id: string; data: infer D } ? D : T;
type Resolver<R> = R extends { query: infer F extends AnyFn }
  ? F
  : R extends { mutate: infer F extends AnyFn }
    ? F
    : R extends { subscribe: infer F extends AnyFn }
      ? F
      : never;
type OutputOfResolver<R> = R extends {
  subscribe: (input: never, opts: { onData?: (value: infer V) => void }) => unknown;
}
  ? Untracked<V>
  : Awaited<ReturnType<Resolver<R>>>;

type Disagreement<P extends ProcedurePath> = [At<Client, P>] extends [never]
  ? `${P}: not in the router`
  : [OutputOfResolver<At<Client, P>>] extends [z.output<Procedures[P]['output']>]
    ? [z.output<Procedures[P]['input']>] extends [Parameters<Resolver<At<Client, P>>>[0]]
      ? never
      : `${P}: input`
    : `${P}: output`;

type Disagreements = { [P in ProcedurePath]: Disagreement<P> }[ProcedurePath];

export const routerAgrees: [Disagreements] extends [never] ? true : { disagree: Disagreements } = true;
