import type { Database } from '../db.js';
import { notFound } from '../errors.js';

export interface NotificationFilter {
  unread?: boolean;
  limit: number;
  cursor?: string;
}

/** The caller's own notifications, newest first; the cursor is the last id of the previous page. */
export async function listNotifications(db: Database, tenantId: string, userId: string, filter: NotificationFilter) {
  const rows = await db.notification.findMany({
    where: { tenantId, userId, ...(filter.unread ? { readAt: null } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
  });
  const items = rows.slice(0, filter.limit);
  return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1]!.id : null };
}

/** Marks one of the caller's notifications read; marking it again keeps the first time. */
export async function markNotificationRead(db: Database, tenantId: string, userId: string, id: string) {
  const owned = { id, tenantId, userId };
  await db.notification.updateMany({ where: { ...owned, readAt: null }, data: { readAt: new Date() } });
  const notification = await db.notification.findFirst({ where: owned });
  if (!notification) throw notFound('notification');
  return notification;
}
