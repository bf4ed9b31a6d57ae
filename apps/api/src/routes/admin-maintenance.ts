import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopedTenantId } from '../plugins/claims.js';
import { maintenanceRunBodySchema, maintenanceRunSchema, maintenanceSchedulesSchema, maintenanceTaskParamsSchema, presentSchedules } from '../schemas/admin-maintenance.js';
import { errorResponses } from '../schemas/common.js';
import { listMaintenanceSchedules, type MaintenanceQueue } from '../services/maintenance-queue.js';
import { runMaintenanceTask, type MaintenanceDeps } from '../services/maintenance-tasks.js';

const tags = ['admin: maintenance'];
const admin = { access: 'admin' } as const;

/**
 * The scheduled maintenance tasks: their schedules, and running one now. An
 * ADMIN's run is limited to its own tenant (another tenantId is a 404); an
 * OPERATOR's covers the whole database unless it names a tenant.
 */
export const adminMaintenanceRoutes: FastifyPluginAsyncZod<{ tasks: MaintenanceDeps; queue: MaintenanceQueue }> = async (app, { tasks, queue }) => {
  app.get(
    '/api/admin/maintenance',
    { config: admin, schema: { tags, summary: 'The maintenance schedules (cron pattern, time zone, next run)', response: { 200: maintenanceSchedulesSchema, ...errorResponses(401, 403) } } },
    async () => presentSchedules(await listMaintenanceSchedules(queue)),
  );

  app.post(
    '/api/admin/maintenance/:task/run',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Run a maintenance task now, in this process, and answer with what it did',
        description:
          'failure-notifier: notify (and e-mail) failures nobody was told about; reconciler: record missing final failures and queue stuck documents that have no job; retention: delete what is older than its configured age. Safe to run while the scheduled run is going.',
        params: maintenanceTaskParamsSchema,
        body: maintenanceRunBodySchema,
        response: { 200: maintenanceRunSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const tenantId = scopedTenantId(request.user, request.body?.tenantId);
      const run = await runMaintenanceTask({ ...tasks, logger: tasks.logger.child({ requestId: request.id }) }, request.params.task, { tenantId });
      request.log.info({ task: run.task, scope: tenantId ?? 'all tenants', durationMs: run.durationMs, result: run.result }, 'maintenance task run by hand');
      return run;
    },
  );
};
