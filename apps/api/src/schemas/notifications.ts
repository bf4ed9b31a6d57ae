import { z } from 'zod';
import type { Notification } from '../generated/prisma/client.js';

export const notificationSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    title: z.string(),
    message: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    readAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Notification' });

export const notificationListQuerySchema = z.object({
  unread: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.uuid().optional(),
});

export const notificationListSchema = z.object({ items: z.array(notificationSchema), nextCursor: z.uuid().nullable() });

export function presentNotification(notification: Notification): z.infer<typeof notificationSchema> {
  return {
    id: notification.id,
    type: notification.type,
    title: notification.title,
    message: notification.message,
    metadata: notification.metadata as Record<string, unknown>,
    readAt: notification.readAt?.toISOString() ?? null,
    createdAt: notification.createdAt.toISOString(),
  };
}
