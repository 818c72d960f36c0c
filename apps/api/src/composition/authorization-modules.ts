import type { ModuleTable } from './module-table';

/** The authorization adapters that ship with Volundr (also all the front door's gateway needs). */
export const authorizationModules: ModuleTable = {
  '@volundr/adapter-authz/builtin-roles': () => import('@volundr/adapter-authz/builtin-roles'),
  '@volundr/adapter-authz/allow-all': () => import('@volundr/adapter-authz/allow-all'),
  '@volundr/adapter-authz/cerbos': () => import('@volundr/adapter-authz/cerbos'),
  '@volundr/adapter-authz/opa': () => import('@volundr/adapter-authz/opa'),
};
