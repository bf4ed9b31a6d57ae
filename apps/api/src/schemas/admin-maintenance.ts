import { z } from 'zod';
import { maintenanceTaskSchema, type ScheduleView } from '../services/maintenance-queue.js';

export const maintenanceTaskParamsSchema = z.object({ task: maintenanceTaskSchema });
export const maintenanceRunBodySchema = z
  .object({ tenantId: z.uuid().optional().describe("limit the run to this tenant's rows, documents and jobs (an ADMIN's run is always limited to its own tenant)") })
  .strict()
  // No body at all (Fastify passes null): the whole database for an OPERATOR, the own tenant for an ADMIN.
  .nullish();

const count = z.number().int().nonnegative();

const failureNotifierResultSchema = z.object({
  notified: count.describe('in-app notifications written for failures nobody had been told about'),
  emailEnabled: z.boolean().describe('false when SMTP_URL is not set'),
  emails: count.describe('messages the SMTP server accepted (one per user)'),
  emailed: count.describe('notifications those messages listed'),
  skipped: count.describe('notifications of users without a known e-mail address'),
  failed: count,
  retryable: count.describe('of the failed ones, how many a later run sends again'),
});

const reconcilerResultSchema = z.object({
  failedJobsChecked: count,
  failuresRecorded: count.describe('final failures that had no JobFailure row and got one'),
  documentsChecked: count,
  requeued: count.describe('stuck documents without a job that were queued again under the same job id'),
  uploadsFinished: count.describe('finished uploads whose PendingUpload row was cleared'),
  uploadsAbandoned: count.describe('cut-off uploads (no Document) whose stored file was deleted'),
  errors: count,
});

const retentionResultSchema = z.object({
  executions: count,
  readNotifications: count,
  originalsEnabled: z.boolean(),
  originals: count,
  batches: count,
  errors: count,
});

const timing = { startedAt: z.iso.datetime(), durationMs: count };

export const maintenanceRunSchema = z
  .discriminatedUnion('task', [
    z.object({ task: z.literal('failure-notifier'), result: failureNotifierResultSchema, ...timing }),
    z.object({ task: z.literal('reconciler'), result: reconcilerResultSchema, ...timing }),
    z.object({ task: z.literal('retention'), result: retentionResultSchema, ...timing }),
  ])
  .meta({ id: 'MaintenanceRun' });

export const maintenanceSchedulesSchema = z
  .object({
    schedules: z.array(
      z.object({
        task: z.string(),
        pattern: z.string().nullable(),
        tz: z.string().nullable(),
        next: z.iso.datetime().nullable().describe('when the next run is due'),
      }),
    ),
  })
  .meta({ id: 'MaintenanceSchedules' });

export function presentSchedules(schedules: ScheduleView[]): z.infer<typeof maintenanceSchedulesSchema> {
  return { schedules: schedules.map((schedule) => ({ ...schedule, next: schedule.next?.toISOString() ?? null })) };
}
