import type { Principal } from '@volundr/contracts/principal';
import type { Template } from '@volundr/contracts/templates';
import type { Templates } from './ports/templates';

/** Every configured template (readable by any signed-in user; see list-models.ts). */
export const listTemplates =
  (deps: { templates: Templates }) =>
  async (_principal: Principal): Promise<Template[]> =>
    deps.templates.list();
