import type { Model } from '@volundr/contracts/models';

/** The models catalog (from configuration). */
export interface Models {
  list(): Promise<Model[]>;
  byId(id: string): Promise<Model | null>;
}
