import { z } from 'zod';

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The knobs of a chaos run, from the environment. */
export function chaosSettings(defaults: { docs: number }) {
  return z
    .object({
      CHAOS_DOCS: count(defaults.docs),
      CHAOS_KILLS: count(5),
      CHAOS_OUTAGE_MS: count(15_000),
      /** Uploads in flight at once. */
      CHAOS_CONCURRENCY: count(4),
      /** How long documents may take to finish after the last upload. */
      CHAOS_SETTLE_MS: count(180_000),
      /** "false" for CI runs: print the table but leave BENCHMARKS.md alone. */
      CHAOS_WRITE_BENCHMARKS: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
    })
    .parse(process.env);
}

export type ChaosSettings = ReturnType<typeof chaosSettings>;
