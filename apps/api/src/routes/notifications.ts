import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../db.js';
import { errorResponses, idParamsSchema } from '../schemas/common.js';
import { notificationListQuerySchema, notificationListSchema, notificationSchema, presentNotification } from '../schemas/notifications.js';
import { listNotifications, markNotificationRead } from '../services/notifications.js';

export const notificationRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get(
    '/api/notifications',
    {
      config: { access: 'member' },
      schema: {
        tags: ['notifications'],
        summary: "The caller's notifications, newest first (e.g. a document that could not be processed)",
        querystring: notificationListQuerySchema,
        response: { 200: notificationListSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const page = await listNotifications(db, request.user.tenantId, request.user.sub, request.query);
      return { items: page.items.map(presentNotification), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/notifications/:id/read',
    {
      config: { access: 'member' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark one of your notifications read',
        params: idParamsSchema,
        response: { 200: notificationSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => presentNotification(await markNotificationRead(db, request.user.tenantId, request.user.sub, request.params.id)),
  );
};
