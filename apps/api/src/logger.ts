import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

/** JSON logs; credentials are redacted wherever they might appear. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { service: 'billflow-api' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.password', '*.secret', '*.token'], censor: '[redacted]' },
  });
}
