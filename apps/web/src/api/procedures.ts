/**
 * Every API procedure this app calls, with the contract schemas of its input and output.
 * Calls go through `api-client.ts`, which validates each answer with the output schema (the
 * API is outside this app: what it sends is checked, never trusted). `router-check.ts`
 * proves at compile time that these schemas agree with the API's `AppRouter` for every
 * procedure the router has, so drift fails the type check instead of a user's screen.
 */
import { ZAuthConfig } from '@volundr/contracts/auth';
import {
  ZChronicle,
  ZChronicleByIdInput,
  ZChronicleChain,
  ZChronicleDetail,
  ZChronicleIdInput,
  ZChroniclePage,
  ZChronicleTimelineInput,
  ZDeleteChronicleOutput,
  ZListChroniclesInput,
  ZReforgeChronicleInput,
  ZSessionTimelineInput,
  ZSessionTokensInput,
  ZSessionUsage,
  ZSessionUsageInput,
  ZTimelinePage,
  ZTokenBurn,
  ZUpdateChronicleInput,
} from '@volundr/contracts/chronicles';
import { ZAuditPage, ZListAuditInput } from '@volundr/contracts/events';
import { ZBranchList, ZListBranchesInput } from '@volundr/contracts/git';
import {
  ZAddTenantMemberInput,
  ZCreatedPersonalAccessToken,
  ZCreatePersonalAccessTokenInput,
  ZCreateTenantInput,
  ZDeleteTenantOutput,
  ZListUsersInput,
  ZMembership,
  ZPersonalAccessToken,
  ZPersonalAccessTokenIdInput,
  ZRemoveTenantMemberInput,
  ZRemoveTenantMemberOutput,
  ZSetTenantMemberRoleInput,
  ZTenant,
  ZTenantIdInput,
  ZTenantList,
  ZTenantMemberList,
  ZTenantMembersInput,
  ZTenantReprovisionResult,
  ZUpdateTenantInput,
  ZUser,
  ZUserIdInput,
  ZUserPage,
} from '@volundr/contracts/identity';
import { ZModelList } from '@volundr/contracts/models';
import {
  ZCreatePresetInput,
  ZListPresetsInput,
  ZPreset,
  ZPresetIdInput,
  ZPresetList,
  ZUpdatePresetInput,
} from '@volundr/contracts/presets';
import { ZPrincipal } from '@volundr/contracts/principal';
import { ZProfileList } from '@volundr/contracts/profiles';
import { ZSessionEvent, ZWatchSessionEventsInput } from '@volundr/contracts/session-events';
import {
  ZCreateSessionInput,
  ZDeleteSessionInput,
  ZDeleteSessionOutput,
  ZListSessionsInput,
  ZSession,
  ZSessionIdInput,
  ZSessionPage,
  ZUpdateSessionInput,
} from '@volundr/contracts/sessions';
import { ZTemplateList } from '@volundr/contracts/templates';
import { z } from 'zod';

/** `system.info` (its schema lives in the API's router, which this app may not import). */
export const ZSystemInfo = z.object({
  name: z.literal('volundr'),
  version: z.string(),
  mode: z.enum(['local', 'production']),
});
export type SystemInfo = z.infer<typeof ZSystemInfo>;

/** `me` (its schema lives in the API's router). */
export const ZMe = z.object({ principal: ZPrincipal, user: ZUser.nullable(), memberships: z.array(ZMembership) });
export type Me = z.infer<typeof ZMe>;

type Kind = 'query' | 'mutation' | 'subscription';
interface Procedure<K extends Kind, I extends z.ZodType, O extends z.ZodType> {
  kind: K;
  input: I;
  output: O;
}
const query = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): Procedure<'query', I, O> => ({
  kind: 'query',
  input,
  output,
});
const mutation = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): Procedure<'mutation', I, O> => ({
  kind: 'mutation',
  input,
  output,
});
const subscription = <I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
): Procedure<'subscription', I, O> => ({ kind: 'subscription', input, output });

const none = z.void();

export const procedures = {
  'system.info': query(none, ZSystemInfo),
  'auth.config': query(none, ZAuthConfig),
  me: query(none, ZMe),
  'audit.list': query(ZListAuditInput, ZAuditPage),
  'sessions.list': query(ZListSessionsInput, ZSessionPage),
  'sessions.byId': query(ZSessionIdInput, ZSession),
  'sessions.create': mutation(ZCreateSessionInput, ZSession),
  'sessions.start': mutation(ZSessionIdInput, ZSession),
  'sessions.stop': mutation(ZSessionIdInput, ZSession),
  'sessions.archive': mutation(ZSessionIdInput, ZSession),
  'sessions.restore': mutation(ZSessionIdInput, ZSession),
  'sessions.update': mutation(ZUpdateSessionInput, ZSession),
  'sessions.delete': mutation(ZDeleteSessionInput, ZDeleteSessionOutput),
  'sessions.onState': subscription(ZWatchSessionEventsInput, ZSessionEvent),
  'templates.list': query(none, ZTemplateList),
  'profiles.list': query(none, ZProfileList),
  'models.list': query(none, ZModelList),
  'git.branches': query(ZListBranchesInput, ZBranchList),
  'presets.list': query(ZListPresetsInput, ZPresetList),
  'presets.create': mutation(ZCreatePresetInput, ZPreset),
  'presets.update': mutation(ZUpdatePresetInput, ZPreset),
  'presets.delete': mutation(ZPresetIdInput, z.unknown()),
  'tokens.list': query(z.strictObject({ includeRevoked: z.boolean().optional() }), z.array(ZPersonalAccessToken)),
  'tokens.create': mutation(ZCreatePersonalAccessTokenInput, ZCreatedPersonalAccessToken),
  'tokens.revoke': mutation(ZPersonalAccessTokenIdInput, ZPersonalAccessToken),
  'chronicles.list': query(ZListChroniclesInput, ZChroniclePage),
  'chronicles.byId': query(ZChronicleByIdInput, ZChronicleDetail),
  'chronicles.timeline': query(ZChronicleTimelineInput, ZTimelinePage),
  'chronicles.chain': query(ZChronicleIdInput, ZChronicleChain),
  'chronicles.update': mutation(ZUpdateChronicleInput, ZChronicle),
  'chronicles.delete': mutation(ZChronicleIdInput, ZDeleteChronicleOutput),
  'chronicles.reforge': mutation(ZReforgeChronicleInput, ZSession),
  'timeline.bySession': query(ZSessionTimelineInput, ZTimelinePage),
  'usage.bySession': query(ZSessionUsageInput, ZSessionUsage),
  'usage.tokens': query(ZSessionTokensInput, ZTokenBurn),
  'tenants.list': query(none, ZTenantList),
  'tenants.create': mutation(ZCreateTenantInput, ZTenant),
  'tenants.update': mutation(ZUpdateTenantInput, ZTenant),
  'tenants.delete': mutation(ZTenantIdInput, ZDeleteTenantOutput),
  'tenants.reprovision': mutation(ZTenantIdInput, ZTenantReprovisionResult),
  'tenants.members.list': query(ZTenantMembersInput, ZTenantMemberList),
  'tenants.members.add': mutation(ZAddTenantMemberInput, ZMembership),
  'tenants.members.setRole': mutation(ZSetTenantMemberRoleInput, ZMembership),
  'tenants.members.remove': mutation(ZRemoveTenantMemberInput, ZRemoveTenantMemberOutput),
  'users.list': query(ZListUsersInput, ZUserPage),
  'users.suspend': mutation(ZUserIdInput, ZUser),
  'users.unsuspend': mutation(ZUserIdInput, ZUser),
  'users.reprovision': mutation(ZUserIdInput, ZUser),
} as const;

export type Procedures = typeof procedures;
export type ProcedurePath = keyof Procedures;
export type PathOfKind<K extends Kind> = {
  [P in ProcedurePath]: Procedures[P]['kind'] extends K ? P : never;
}[ProcedurePath];
export type InputOf<P extends ProcedurePath> = z.input<Procedures[P]['input']>;
export type OutputOf<P extends ProcedurePath> = z.output<Procedures[P]['output']>;
