import type { Principal } from '@volundr/contracts/principal';
import { type Template, ZTemplateByNameInput } from '@volundr/contracts/templates';
import type { z } from 'zod';
import { DomainError } from '../errors';
import { validateInput } from '../sessions/validate-input';
import type { Templates } from './ports/templates';

export const templateByName =
  (deps: { templates: Templates }) =>
  async (_principal: Principal, rawInput: z.input<typeof ZTemplateByNameInput>): Promise<Template> => {
    const input = validateInput(ZTemplateByNameInput, rawInput, 'template name');
    const template = await deps.templates.byName(input.name);
    if (!template) throw new DomainError('TEMPLATE_NOT_FOUND', `No template "${input.name}"`);
    return template;
  };
