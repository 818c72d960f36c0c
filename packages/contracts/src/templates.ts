import { z } from 'zod';
import { ZCliTool } from './models';
import { ZCatalogName, ZLaunchDefaults } from './profiles';

/** A git branch or ref name (a practical subset of git-check-ref-format). */
export const ZBranchName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9._/-]+$/, 'a branch name: letters, digits, . _ / -')
  .refine(
    (b) => !b.startsWith('-') && !b.startsWith('/') && !b.endsWith('/') && !b.endsWith('.lock') && !b.includes('..'),
    'not a valid branch name',
  );

/** A repository reference as users type it: an https/ssh URL or `host/owner/name`. */
export const ZRepoRef = z
  .string()
  .min(1)
  .max(500)
  .regex(/^[^\s]+$/, 'a repository URL without spaces');

/** A relative directory inside the workspace. */
export const ZWorkspacePath = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'a relative path inside the workspace')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".."');

/** An extra repository a template clones next to the session's source. */
export const ZTemplateRepo = z.strictObject({
  url: ZRepoRef,
  branch: ZBranchName.optional(),
  path: ZWorkspacePath,
});
export type TemplateRepo = z.infer<typeof ZTemplateRepo>;

/** A template: a ready-made launch (defaults + repos + setup), read from configuration. */
export const ZTemplate = ZLaunchDefaults.extend({
  name: ZCatalogName,
  description: z.string().max(1000).default(''),
  /** Restricts the template to models of one CLI when set. */
  cli: ZCliTool.optional(),
  /** The profile laid under the template (its defaults are overridden by the template's). */
  profileName: ZCatalogName.optional(),
  repos: z.array(ZTemplateRepo).max(20).default([]),
});
export type Template = z.infer<typeof ZTemplate>;

/** The `templates:` list of the configuration file: unique names. */
export const ZTemplatesConfig = z.array(ZTemplate).superRefine((templates, ctx) => {
  const names = new Set<string>();
  templates.forEach((template, index) => {
    if (names.has(template.name))
      ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate template name "${template.name}"` });
    names.add(template.name);
  });
});

export const ZTemplateList = z.array(ZTemplate);
export const ZTemplateByNameInput = z.strictObject({ name: ZCatalogName });
