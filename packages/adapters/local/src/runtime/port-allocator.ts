import { createServer } from 'node:net';
import { DomainError } from '@volundr/core/errors';

/** `0`: the OS picks (its ephemeral range); or an inclusive range to pick from. */
export type PortRange = 0 | { from: number; to: number };

function canBind(port: number, host: string): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * Hands out loopback ports for session services. A port is probed by binding it, and kept
 * reserved in this process until released, so concurrent starts never get the same one. With a
 * range (the default lies below Linux's ephemeral range, 32768+), outgoing connections made
 * between allocation and the service's start cannot take the port either.
 */
export class PortAllocator {
  private readonly reserved = new Set<number>();

  constructor(
    private readonly range: PortRange,
    private readonly host = '127.0.0.1',
  ) {}

  /** Marks ports as taken (services re-adopted from route files). */
  reserve(ports: Iterable<number>): void {
    for (const port of ports) this.reserved.add(port);
  }

  release(ports: Iterable<number | null>): void {
    for (const port of ports) if (port !== null) this.reserved.delete(port);
  }

  async allocate(): Promise<number> {
    if (this.range === 0) {
      for (let tries = 0; tries < 20; tries++) {
        const port = await canBind(0, this.host);
        if (port !== null && !this.reserved.has(port)) {
          this.reserved.add(port);
          return port;
        }
      }
    } else {
      const { from, to } = this.range;
      const size = to - from + 1;
      const offset = Math.floor(Math.random() * size);
      for (let i = 0; i < size; i++) {
        const port = from + ((offset + i) % size);
        if (this.reserved.has(port)) continue;
        // Reserve before the await so a concurrent allocation skips it.
        this.reserved.add(port);
        if ((await canBind(port, this.host)) !== null) return port;
        this.reserved.delete(port);
      }
    }
    const where = this.range === 0 ? 'from the OS' : `in ${this.range.from}–${this.range.to}`;
    throw new DomainError(
      'QUOTA_EXCEEDED',
      `No free port ${where} for a session service; stop a session or widen the local runtime's portRange.`,
    );
  }
}
