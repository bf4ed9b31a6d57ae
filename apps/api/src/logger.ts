import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

/** JSON logs; credentials are redacted wherever they might appear. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { service: 'billflow-api' },
      // `*.headers`: @fastify/multipart logs its busboy options, request headers included, at trace level.
      redact: {
        paths: ['headers.authorization', 'headers.cookie', '*.headers.authorization', '*.headers.cookie', '*.password', '*.secret', '*.token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
