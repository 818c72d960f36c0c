/**
 * Compile-time agreement between `procedures.ts` and the API's `AppRouter`: for every
 * procedure the router has, the router's output must fit the schema this app validates
 * with, and this app's input must fit the router's input. A mismatch fails
 * `tsc -p apps/web/tsconfig.json` naming the procedure. Procedures the router does not have
 * yet are skipped here; at run time they answer NOT_FOUND and the page says so.
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
type OutputOfResolver<R> = R extends { query: infer F extends AnyFn }
  ? Awaited<ReturnType<F>>
  : R extends { mutate: infer F extends AnyFn }
    ? Awaited<ReturnType<F>>
    : R extends { subscribe: (input: never, opts: { onData?: (value: infer V) => void }) => unknown }
      ? Untracked<V>
      : never;
type InputOfResolver<R> = R extends { query: infer F extends AnyFn }
  ? Parameters<F>[0]
  : R extends { mutate: infer F extends AnyFn }
    ? Parameters<F>[0]
    : R extends { subscribe: infer F extends AnyFn }
      ? Parameters<F>[0]
      : never;

type Disagreement<P extends ProcedurePath> = [At<Client, P>] extends [never]
  ? never
  : [OutputOfResolver<At<Client, P>>] extends [z.output<Procedures[P]['output']>]
    ? [z.input<Procedures[P]['input']>] extends [InputOfResolver<At<Client, P>>]
      ? never
      : `${P}: input`
    : `${P}: output`;

type Disagreements = { [P in ProcedurePath]: Disagreement<P> }[ProcedurePath];

/** The procedures this app calls that the router does not have yet (for the docs and reports). */
export type NotInRouterYet = { [P in ProcedurePath]: [At<Client, P>] extends [never] ? P : never }[ProcedurePath];

export const routerAgrees: [Disagreements] extends [never] ? true : { disagree: Disagreements } = true;
