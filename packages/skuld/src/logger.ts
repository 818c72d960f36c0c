/** Structured JSON logs (pino) on stderr; stdout carries only the machine-readable `listening` line. */
import type { Logger } from '@volundr/core/shared/ports/logger';
import { pino } from 'pino';

export function createLogger(level: string, base: Record<string, unknown>): Logger {
  return pino(
    { level, base: { service: 'skuld', ...base }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination(2),
  );
}
