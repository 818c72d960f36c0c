/**
 * Adapter modules that ship with Volundr. They are listed so the bundler includes them (each
 * becomes a lazily loaded chunk); any other specifier is imported from node_modules at run time.
 */
export const builtinModules: Readonly<Record<string, () => Promise<Record<string, unknown>>>> = {
  '@volundr/adapter-authz/builtin-roles': () => import('@volundr/adapter-authz/builtin-roles'),
  '@volundr/adapter-authz/allow-all': () => import('@volundr/adapter-authz/allow-all'),
  '@volundr/adapter-authz/cerbos': () => import('@volundr/adapter-authz/cerbos'),
  '@volundr/adapter-authz/opa': () => import('@volundr/adapter-authz/opa'),
  '@volundr/adapter-identity/oidc-identity': () => import('@volundr/adapter-identity/oidc-identity'),
};
