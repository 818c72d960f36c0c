import { z } from 'zod';

/**
 * A port's configuration block: `{ use: "<module specifier>#<ExportName>", ...options }`.
 * Only `use` is checked here; the options are validated by the adapter's own schema when the
 * composition root loads it.
 */
export const ZAdapterBlock = z
  .object({
    use: z
      .string()
      .regex(
        /^[^#\s]+#[A-Za-z_$][\w$]*$/,
        'expected "<module specifier>#<ExportName>", e.g. "@volundr/adapter-authz/builtin-roles#builtinRoles"',
      ),
  })
  .catchall(z.unknown());
export type AdapterBlock = z.infer<typeof ZAdapterBlock>;
