import pino, { Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs; every request's logs carry its request id through a child logger. `destination`:
 * where they go (default stdout; a command line whose stdout is its answer logs to stderr).
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.password', '*.token'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
