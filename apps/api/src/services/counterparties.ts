import type { Prisma } from '../generated/prisma/client.js';
import { CounterpartyRole, DocumentKind } from '../generated/prisma/enums.js';
import { normalizeCounterpartyName } from './counterparty-names.js';

/** The other side of a record: the vendor of a bill, the customer of an invoice. */
export function counterpartyNameOf(kind: DocumentKind, names: { vendorName: string | null; customerName: string | null }): string | null {
  return kind === DocumentKind.BILL ? names.vendorName : names.customerName;
}

/** The counterparty a name stands for on a record of this kind (its unique key with the entity); null when there is no usable name. */
export function counterpartyOf(kind: DocumentKind, name: string | null): { role: CounterpartyRole; name: string; normalizedName: string } | null {
  const normalizedName = name ? normalizeCounterpartyName(name) : '';
  if (!name || !normalizedName) return null;
  return { role: kind === DocumentKind.BILL ? CounterpartyRole.VENDOR : CounterpartyRole.CUSTOMER, name, normalizedName };
}

/** Finds or creates the counterparty for a name; null when there is no usable name. */
export async function upsertCounterparty(
  tx: Prisma.TransactionClient,
  entityId: string,
  kind: DocumentKind,
  name: string | null,
): Promise<string | null> {
  const counterparty = counterpartyOf(kind, name);
  if (!counterparty) return null;
  const { role, normalizedName } = counterparty;
  const saved = await tx.counterparty.upsert({
    where: { entityId_role_normalizedName: { entityId, role, normalizedName } },
    create: { entityId, ...counterparty },
    update: {},
    select: { id: true },
  });
  return saved.id;
}
