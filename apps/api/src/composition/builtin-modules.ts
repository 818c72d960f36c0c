/**
 * Adapter modules that ship with Volundr. They are listed so the bundler includes them (each
 * becomes a lazily loaded chunk); any other specifier is imported from node_modules at run time.
 */
export const builtinModules: Readonly<Record<string, () => Promise<Record<string, unknown>>>> = {};
