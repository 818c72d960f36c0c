import type { z } from 'zod';

/**
 * What a module exports so the composition root can build it from configuration.
 *
 * A config block `{ use: "<module specifier>#<ExportName>", ...options }` names one of these.
 * The root imports the module, validates the remaining keys with `options` (a strict schema:
 * unknown keys are errors), resolves the ports listed in `requires` from what it has already
 * built, and calls `create`.
 */
export interface AdapterDefinition<Options = unknown, Instance = unknown, Deps = Record<string, unknown>> {
  /** Which port this adapter implements (`authorization`, `podManager`, ...). */
  readonly port: string;
  readonly options: z.ZodType<Options>;
  /** Names of other ports/services this adapter needs injected (`clock`, `logger`, `database`...). */
  readonly requires?: readonly string[];
  create(options: Options, deps: Deps): Instance | Promise<Instance>;
}

export function defineAdapter<Options, Instance, Deps = Record<string, unknown>>(
  definition: AdapterDefinition<Options, Instance, Deps>,
): AdapterDefinition<Options, Instance, Deps> {
  return definition;
}

export function isAdapterDefinition(value: unknown): value is AdapterDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AdapterDefinition).port === 'string' &&
    typeof (value as AdapterDefinition).create === 'function' &&
    typeof (value as AdapterDefinition).options === 'object'
  );
}
