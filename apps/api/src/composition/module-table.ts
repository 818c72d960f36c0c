/** Lazily imported adapter modules by specifier (each becomes a chunk of the bundle that lists it). */
export type ModuleTable = Readonly<Record<string, () => Promise<Record<string, unknown>>>>;

let known: ModuleTable = {};

/**
 * Makes bundled adapter modules loadable by their specifier. The composition root registers
 * the table it ships with (the API: every built-in adapter; the CLI's gateway: authorization
 * only), so a process bundles only the adapters it can use. Specifiers not listed are imported
 * from node_modules or by absolute path.
 */
export function registerModules(table: ModuleTable): void {
  known = { ...known, ...table };
}

export function registeredModule(specifier: string): (() => Promise<Record<string, unknown>>) | undefined {
  return known[specifier];
}
