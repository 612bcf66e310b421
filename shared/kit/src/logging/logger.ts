import pino, { Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; every request's logs carry its request id through a child logger. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.password', '*.token'], censor: '[redacted]' },
  });
}
