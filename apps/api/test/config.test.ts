import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/billflow',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'a'.repeat(32),
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({ PORT: 3000, MAX_UPLOAD_BYTES: 10 * 1024 * 1024, REVIEW_THRESHOLD: 0.85, JOB_ATTEMPTS: 3, JOB_BACKOFF_MS: 2_000, QUEUE_PREFIX: 'bull' });
  });

  it('lists every missing or invalid variable at once, without their values', () => {
    let error: unknown;
    try {
      loadConfig({ REDIS_URL: 'http://nope', PORT: 'eighty', REVIEW_THRESHOLD: '2', JWT_SECRET: 'short-secret-value' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'PORT', 'REVIEW_THRESHOLD', 'JWT_SECRET']) expect(problems).toContain(name);
    expect(problems).not.toContain('short-secret-value');
  });

  it('has no default secret: without JWT_SECRET or JWT_JWKS_URL it refuses to start', () => {
    const { JWT_SECRET: _omitted, ...withoutSecret } = valid;
    expect(() => loadConfig(withoutSecret)).toThrow(/JWT_SECRET/);
    expect(loadConfig({ ...withoutSecret, JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json' }).JWT_SECRET).toBeUndefined();
  });

  it('needs the model endpoint, key and name only when the model provider is chosen', () => {
    expect(loadConfig(valid).EXTRACTION_PROVIDER).toBe('local');
    let error: unknown;
    try {
      loadConfig({ ...valid, EXTRACTION_PROVIDER: 'openai-compatible' });
    } catch (caught) {
      error = caught;
    }
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['EXTRACTION_MODEL_BASE_URL', 'EXTRACTION_MODEL_API_KEY', 'EXTRACTION_MODEL']) expect(problems).toContain(name);
    expect(() => loadConfig({ ...valid, OCR_ENGINE: 'gpu' })).toThrow(/OCR_ENGINE/);
  });

  it('wants both S3 keys or neither', () => {
    expect(() => loadConfig({ ...valid, S3_ACCESS_KEY_ID: 'key' })).toThrow(/S3_SECRET_ACCESS_KEY/);
  });
});
