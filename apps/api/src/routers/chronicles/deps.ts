import { DomainError } from '@volundr/core/errors';
import type { AppServices } from '../../composition/app-services';
import type { ComposedChronicles } from '../../composition/compose-chronicles';

/** The composed chronicle use cases; a process without them answers DEPENDENCY_UNAVAILABLE. */
export function chronicleServices(services: AppServices): ComposedChronicles {
  if (!services.chronicles) {
    throw new DomainError('DEPENDENCY_UNAVAILABLE', 'Chronicles are not available in this API process.');
  }
  return services.chronicles;
}
