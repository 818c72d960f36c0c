// Two adapters of one (test) port, used to prove that configuration alone picks the adapter.
import { defineAdapter } from '@volundr/core/adapters/adapter-definition';
import type { Clock } from '@volundr/core/shared/ports/clock';
import { z } from 'zod';

export interface Greeter {
  greet(name: string): string;
}

export const politeGreeter = defineAdapter({
  port: 'greeter',
  options: z.object({ salutation: z.string().min(1).default('Good day') }).strict(),
  create: (options): Greeter => ({ greet: (name) => `${options.salutation}, ${name}.` }),
});

export const timedGreeter = defineAdapter({
  port: 'greeter',
  options: z.object({ shout: z.boolean() }).strict(),
  requires: ['clock'],
  create: (options, deps: { clock: Clock }): Greeter => ({
    greet: (name) => {
      const text = `hi ${name} at ${deps.clock.now().toISOString()}`;
      return options.shout ? text.toUpperCase() : text;
    },
  }),
});

export const notAnAdapter = { hello: 'world' };
