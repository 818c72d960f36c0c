import { z } from 'zod';
import { ZCliTool, ZModelId } from './models';

// The defaults every layer can carry (profile → template → preset → request). A profile is
// the base layer, so the shared shapes live here; templates and presets import them.

export const MAX_PROMPT_CHARS = 100_000;

/** A name chosen in configuration or by a user for a catalog entry (profile, template). */
export const ZCatalogName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lower-case letters, digits and "-", starting and ending alphanumeric');

/** An environment variable name as POSIX shells accept it. */
export const ZEnvName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name: letters, digits and _, not starting with a digit');

export const ZEnvMap = z
  .record(ZEnvName, z.string().max(32_768))
  .refine((env) => Object.keys(env).length <= 200, 'at most 200 environment variables');

/** Kubernetes-style quantities: CPU `500m`, `2`; memory `512Mi`, `4Gi`. */
export const ZCpuQuantity = z
  .string()
  .regex(/^(\d+(\.\d+)?|\d+m)$/, 'a CPU quantity such as "500m" or "2"')
  .max(16);
export const ZMemoryQuantity = z
  .string()
  .regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/, 'a memory quantity such as "512Mi" or "4Gi"')
  .max(16);

/** What a request or a layer may ask for; the Resources port turns it into requests/limits. */
export const ZResourceRequest = z.strictObject({
  cpu: ZCpuQuantity.optional(),
  memory: ZMemoryQuantity.optional(),
  gpu: z.int().min(0).max(16).optional(),
});
export type ResourceRequest = z.infer<typeof ZResourceRequest>;

/** An env var whose value comes from a named secret (never the value itself). */
export const ZEnvSecretRef = z.strictObject({
  env: ZEnvName,
  secret: z.string().min(1).max(253),
  key: z.string().min(1).max(253),
});
export type EnvSecretRef = z.infer<typeof ZEnvSecretRef>;

export const ZMcpServerName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -');

/** An MCP server the CLI is given: a local command (stdio) or a URL (http). */
export const ZMcpServer = z.discriminatedUnion('transport', [
  z.strictObject({
    transport: z.literal('stdio'),
    name: ZMcpServerName,
    command: z.string().min(1).max(1000),
    args: z.array(z.string().max(4000)).max(100).default([]),
    env: ZEnvMap.default({}),
  }),
  z.strictObject({
    transport: z.literal('http'),
    name: ZMcpServerName,
    url: z.url({ protocol: /^https?$/ }).max(2000),
    headers: z.record(z.string().min(1).max(200), z.string().max(4000)).default({}),
  }),
]);
export type McpServer = z.infer<typeof ZMcpServer>;

export const ZSetupScript = z.string().min(1).max(20_000);
export const ZCredentialName = z.string().min(1).max(253);
export const ZIntegrationId = z.string().min(1).max(255);
export const ZIdleTimeoutMinutes = z
  .int()
  .min(1)
  .max(7 * 24 * 60);

/** Launch defaults a profile, template or preset may set; the request may override each. */
export const ZLaunchDefaults = z.strictObject({
  model: ZModelId.optional(),
  systemPrompt: z.string().max(MAX_PROMPT_CHARS).optional(),
  initialPrompt: z.string().max(MAX_PROMPT_CHARS).optional(),
  resources: ZResourceRequest.optional(),
  env: ZEnvMap.optional(),
  envSecretRefs: z.array(ZEnvSecretRef).max(100).optional(),
  mcpServers: z.array(ZMcpServer).max(50).optional(),
  setupScripts: z.array(ZSetupScript).max(50).optional(),
  credentialNames: z.array(ZCredentialName).max(50).optional(),
  integrationIds: z.array(ZIntegrationId).max(50).optional(),
  terminalRestricted: z.boolean().optional(),
  idleTimeoutMinutes: ZIdleTimeoutMinutes.optional(),
});
export type LaunchDefaults = z.infer<typeof ZLaunchDefaults>;

/** A profile: named defaults for one CLI, read from configuration (read-only through the API). */
export const ZProfile = ZLaunchDefaults.extend({
  name: ZCatalogName,
  description: z.string().max(1000).default(''),
  cli: ZCliTool,
  /** The profile used when a request names none (at most one per CLI). */
  isDefault: z.boolean().default(false),
});
export type Profile = z.infer<typeof ZProfile>;

/** The `profiles:` list of the configuration file: unique names, at most one default per CLI. */
export const ZProfilesConfig = z.array(ZProfile).superRefine((profiles, ctx) => {
  const names = new Set<string>();
  const defaults = new Map<string, string>();
  profiles.forEach((profile, index) => {
    if (names.has(profile.name))
      ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate profile name "${profile.name}"` });
    names.add(profile.name);
    if (profile.isDefault) {
      const other = defaults.get(profile.cli);
      if (other)
        ctx.addIssue({
          code: 'custom',
          path: [index, 'isDefault'],
          message: `profiles "${other}" and "${profile.name}" are both the default for ${profile.cli}`,
        });
      defaults.set(profile.cli, profile.name);
    }
  });
});

export const ZProfileList = z.array(ZProfile);
export const ZProfileByNameInput = z.strictObject({ name: ZCatalogName });
