import { readFileSync } from 'node:fs';
import { ConfigError } from './config.js';

/** A CA bundle (PEM) named by a *_CA_FILE variable; unreadable is a configuration error naming the variable and path. */
export function readCaFile(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError([`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
}
