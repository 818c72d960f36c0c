/**
 * Every procedure the CLI calls, with the contract schemas it sends and checks. Inputs are
 * validated before they leave, outputs when they arrive; `router-check.ts` proves at compile
 * time that the API's router agrees.
 */
import {
  ZChronicleByIdInput,
  ZChronicleDetail,
  ZChroniclePage,
  ZListChroniclesInput,
  ZReforgeChronicleInput,
} from '@volundr/contracts/chronicles';
import { ZMembership, ZUser } from '@volundr/contracts/identity';
import { ZPrincipal } from '@volundr/contracts/principal';
import { ZSessionEvent, ZWatchSessionEventsInput } from '@volundr/contracts/session-events';
import {
  ZCreateSessionInput,
  ZDeleteSessionInput,
  ZDeleteSessionOutput,
  ZListSessionsInput,
  ZSession,
  ZSessionIdInput,
  ZSessionPage,
} from '@volundr/contracts/sessions';
import { z } from 'zod';

/** The answer of `me` (its schema lives with the API's router, so it is spelled out here). */
export const ZMe = z.looseObject({
  principal: ZPrincipal,
  user: ZUser.nullable(),
  memberships: z.array(ZMembership),
});

const query = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) =>
  ({ kind: 'query', input, output }) as const;
const mutation = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) =>
  ({ kind: 'mutation', input, output }) as const;
const subscription = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) =>
  ({ kind: 'subscription', input, output }) as const;

export const procedures = {
  me: query(z.void(), ZMe),
  'sessions.list': query(ZListSessionsInput, ZSessionPage),
  'sessions.byId': query(ZSessionIdInput, ZSession),
  'sessions.create': mutation(ZCreateSessionInput, ZSession),
  'sessions.start': mutation(ZSessionIdInput, ZSession),
  'sessions.stop': mutation(ZSessionIdInput, ZSession),
  'sessions.archive': mutation(ZSessionIdInput, ZSession),
  'sessions.restore': mutation(ZSessionIdInput, ZSession),
  'sessions.delete': mutation(ZDeleteSessionInput, ZDeleteSessionOutput),
  'sessions.onState': subscription(ZWatchSessionEventsInput, ZSessionEvent),
  'chronicles.list': query(ZListChroniclesInput, ZChroniclePage),
  'chronicles.byId': query(ZChronicleByIdInput, ZChronicleDetail),
  'chronicles.reforge': mutation(ZReforgeChronicleInput, ZSession),
} as const;

export type Procedures = typeof procedures;
export type ProcedurePath = keyof Procedures;
export type PathOfKind<K extends Procedures[ProcedurePath]['kind']> = {
  [P in ProcedurePath]: Procedures[P]['kind'] extends K ? P : never;
}[ProcedurePath];
export type InputOf<P extends ProcedurePath> = z.input<Procedures[P]['input']>;
export type OutputOf<P extends ProcedurePath> = z.output<Procedures[P]['output']>;
