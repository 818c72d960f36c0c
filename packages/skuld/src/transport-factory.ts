/** Picks the transport named in the configuration; `fake` is the scriptable test double. */
import type { SkuldConfig } from './config';
import { createTransport } from './transports/create-transport';
import { createFakeTransport } from './transports/fake-transport';
import type { Transport, TransportOptions } from './transports/transport';

export function transportFor(config: SkuldConfig): (options: TransportOptions) => Transport {
  return (options) =>
    config.transport === 'fake'
      ? createFakeTransport({
          model: options.model,
          ...(options.resumeId ? { resumeId: options.resumeId } : {}),
          ...(options.onCliSessionId ? { onCliSessionId: options.onCliSessionId } : {}),
        })
      : createTransport(config.transport, options);
}
