import { pino } from 'pino';

export type AppLogger = pino.Logger;

/** Structured JSON logs on stdout; every line carries the fields of its child loggers (requestId, sessionId). */
export function createLogger(level: string, destination: pino.DestinationStream | number = 1): AppLogger {
  return pino(
    {
      level,
      base: { service: 'volundr-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.token', '*.password'],
        censor: '[redacted]',
      },
    },
    typeof destination === 'number' ? pino.destination({ fd: destination, sync: false }) : destination,
  );
}
