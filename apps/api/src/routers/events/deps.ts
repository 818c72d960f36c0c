import { DomainError } from '@volundr/core/errors';
import type { AppServices } from '../../composition/app-services';
import type { ComposedEvents } from '../../composition/compose-events';

/** The composed event pipeline; a process without it answers DEPENDENCY_UNAVAILABLE. */
export function eventServices(services: AppServices): ComposedEvents {
  if (!services.events) {
    throw new DomainError('DEPENDENCY_UNAVAILABLE', 'The event pipeline is not available in this API process.');
  }
  return services.events;
}
