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
      /**
       * "true" accepts S3 objects left by uploads a kill cut off between storing the file and writing its row
       * (still counted and reported): nothing removes them yet. Default false: the issue promises no orphans.
       */
      CHAOS_ALLOW_CUT_OFF_ORPHANS: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
      /** "false" for CI runs: print the table but leave BENCHMARKS.md alone. */
      CHAOS_WRITE_BENCHMARKS: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
    })
    .parse(process.env);
}

export type ChaosSettings = ReturnType<typeof chaosSettings>;
