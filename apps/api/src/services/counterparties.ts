import type { Prisma } from '../generated/prisma/client.js';
import { CounterpartyRole, DocumentKind } from '../generated/prisma/enums.js';
import { normalizeCounterpartyName } from './counterparty-names.js';

/** The other side of a record: the vendor of a bill, the customer of an invoice. */
export function counterpartyNameOf(kind: DocumentKind, names: { vendorName: string | null; customerName: string | null }): string | null {
  return kind === DocumentKind.BILL ? names.vendorName : names.customerName;
}

/** Finds or creates the counterparty for a name; null when there is no usable name. */
export async function upsertCounterparty(
  tx: Prisma.TransactionClient,
  entityId: string,
  kind: DocumentKind,
  name: string | null,
): Promise<string | null> {
  const normalizedName = name ? normalizeCounterpartyName(name) : '';
  if (!name || !normalizedName) return null;
  const role = kind === DocumentKind.BILL ? CounterpartyRole.VENDOR : CounterpartyRole.CUSTOMER;
  const counterparty = await tx.counterparty.upsert({
    where: { entityId_role_normalizedName: { entityId, role, normalizedName } },
    create: { entityId, role, name, normalizedName },
    update: {},
    select: { id: true },
  });
  return counterparty.id;
}
