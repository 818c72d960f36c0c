import type { Template } from '@volundr/contracts/templates';

/** Read-only templates (from configuration). */
export interface Templates {
  list(): Promise<Template[]>;
  byName(name: string): Promise<Template | null>;
}
