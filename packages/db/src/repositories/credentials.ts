import { ZCredentialType } from '@volundr/contracts/credentials';
import type { CredentialRecord, CredentialRecords } from '@volundr/core/credentials/ports/credential-records';
import { DomainError } from '@volundr/core/errors';
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../client';
import { credentials } from '../schema/credentials';
import { isUniqueViolation } from './pg-errors';

const columns = {
  id: credentials.id,
  ownerId: credentials.ownerId,
  tenantId: credentials.tenantId,
  name: credentials.name,
  type: credentials.type,
  keys: credentials.keys,
  metadata: credentials.metadata,
  managedBy: credentials.managedBy,
  createdAt: credentials.createdAt,
  updatedAt: credentials.updatedAt,
};

const ZMetadata = z.record(z.string(), z.string());

type Row = Omit<CredentialRecord, 'metadata' | 'type'> & { metadata: unknown; type: string };

function toRecord(row: Row): CredentialRecord {
  const metadata = ZMetadata.safeParse(row.metadata);
  const type = ZCredentialType.safeParse(row.type);
  if (!metadata.success || !type.success)
    throw new DomainError(
      'INTERNAL',
      `credentials row ${row.id} is not valid (${!type.success ? 'type' : 'metadata'})`,
    );
  return { ...row, type: type.data, metadata: metadata.data, keys: [...row.keys] };
}

/** The CredentialRecords port on the `credentials` table: metadata only, names unique per owner. */
export function createCredentialsRepository(database: Database): CredentialRecords {
  const db = database.drizzle;
  return {
    async listForOwner(owner, filter = {}) {
      const rows = await db
        .select(columns)
        .from(credentials)
        .where(
          and(
            eq(credentials.ownerId, owner.ownerId),
            eq(credentials.tenantId, owner.tenantId),
            filter.type ? eq(credentials.type, filter.type) : undefined,
          ),
        )
        .orderBy(asc(credentials.name));
      return rows.map(toRecord);
    },
    async byName(ownerId, name) {
      const [row] = await db
        .select(columns)
        .from(credentials)
        .where(and(eq(credentials.ownerId, ownerId), eq(credentials.name, name)));
      return row ? toRecord(row) : null;
    },
    async insert(record) {
      try {
        const [row] = await db.insert(credentials).values(record).returning(columns);
        return toRecord(row!);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new DomainError('CREDENTIAL_NAME_TAKEN', `name: you already have a credential named "${record.name}"`, {
            name: record.name,
          });
        throw error;
      }
    },
    async update(record) {
      const [row] = await db
        .update(credentials)
        .set({ keys: record.keys, metadata: record.metadata, type: record.type, updatedAt: record.updatedAt })
        .where(and(eq(credentials.ownerId, record.ownerId), eq(credentials.name, record.name)))
        .returning(columns);
      if (!row) throw new DomainError('CREDENTIAL_NOT_FOUND', `No credential named "${record.name}"`);
      return toRecord(row);
    },
    async delete(ownerId, name) {
      const rows = await db
        .delete(credentials)
        .where(and(eq(credentials.ownerId, ownerId), eq(credentials.name, name)))
        .returning({ id: credentials.id });
      return rows.length > 0;
    },
  };
}
