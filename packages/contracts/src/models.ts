import { z } from 'zod';

/** The AI coding CLI a session drives through the broker. A model belongs to exactly one. */
export const ZCliTool = z.enum(['claude', 'codex']);
export type CliTool = z.infer<typeof ZCliTool>;

/** A model id as the CLI takes it (`claude-sonnet-4-5`, `gpt-5-codex`, `openrouter/x:y`). */
export const ZModelId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/, 'a model id: letters, digits and . _ : / @ -');

/** One entry of the models catalog (read from configuration). Costs are USD per million tokens. */
export const ZModel = z.strictObject({
  id: ZModelId,
  name: z.string().min(1).max(200),
  provider: z.string().min(1).max(100),
  cli: ZCliTool,
  costPerMillionInputTokens: z.number().nonnegative().max(10_000),
  costPerMillionOutputTokens: z.number().nonnegative().max(10_000),
});
export type Model = z.infer<typeof ZModel>;

/** The `models:` list of the configuration file: ids are unique. */
export const ZModelsConfig = z.array(ZModel).superRefine((models, ctx) => {
  const seen = new Set<string>();
  models.forEach((model, index) => {
    if (seen.has(model.id))
      ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate model id "${model.id}"` });
    seen.add(model.id);
  });
});

export const ZModelList = z.array(ZModel);
