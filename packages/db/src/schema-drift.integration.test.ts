import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeBothDatabases } from '@volundr/testkit/both-databases';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { beforeAll, expect, it } from 'vitest';

/**
 * The SQL in migrations/ is the source of truth; the drizzle schema in src/schema/ must say the
 * same thing. Every table and column of both is compared (name, nullability, type family,
 * numeric precision, whether a default exists) on both drivers after migrating, so a migration
 * without its schema change, or the reverse, fails here.
 */

interface ColumnShape {
  type: string;
  nullable: boolean;
  hasDefault: boolean;
}
type TableShapes = Record<string, Record<string, ColumnShape>>;

const schemaDir = join(import.meta.dirname, 'schema');

/** drizzle's SQL type names → PostgreSQL's udt_name (arrays as `_elem`), keeping `numeric(p,s)`. */
function family(sqlType: string): string {
  const array = sqlType.endsWith('[]');
  const base = (array ? sqlType.slice(0, -2) : sqlType).trim();
  const precision = /^numeric\((\d+),\s*(\d+)\)$/.exec(base);
  const names: Record<string, string> = {
    integer: 'int4',
    serial: 'int4',
    bigint: 'int8',
    bigserial: 'int8',
    smallint: 'int2',
    boolean: 'bool',
    'timestamp with time zone': 'timestamptz',
    'timestamp without time zone': 'timestamp',
    timestamp: 'timestamp',
    'double precision': 'float8',
    real: 'float4',
  };
  const name = precision ? `numeric(${precision[1]},${precision[2]})` : (names[base] ?? base);
  return array ? `_${name}` : name;
}

async function drizzleShapes(): Promise<TableShapes> {
  const shapes: TableShapes = {};
  for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.ts') && !f.includes('.test.'))) {
    const module: Record<string, unknown> = await import(join(schemaDir, file));
    for (const value of Object.values(module)) {
      if (!is(value, PgTable)) continue;
      const config = getTableConfig(value);
      if (shapes[config.name]) throw new Error(`table ${config.name} is declared twice in src/schema/`);
      shapes[config.name] = Object.fromEntries(
        config.columns.map((column) => [
          column.name,
          { type: family(column.getSQLType()), nullable: !column.notNull, hasDefault: column.hasDefault },
        ]),
      );
    }
  }
  return shapes;
}

describeBothDatabases('drizzle schema matches the migrated database', (getDb) => {
  let fromDrizzle: TableShapes = {};
  let fromDatabase: TableShapes = {};

  beforeAll(async () => {
    fromDrizzle = await drizzleShapes();
    const rows = await getDb().execute<{
      table_name: string;
      column_name: string;
      udt_name: string;
      is_nullable: string;
      column_default: string | null;
      numeric_precision: number | null;
      numeric_scale: number | null;
    }>(
      `SELECT c.table_name, c.column_name, c.udt_name, c.is_nullable, c.column_default, c.numeric_precision, c.numeric_scale
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations'`,
    );
    fromDatabase = {};
    for (const row of rows) {
      const type = row.udt_name === 'numeric' ? `numeric(${row.numeric_precision},${row.numeric_scale})` : row.udt_name;
      fromDatabase[row.table_name] ??= {};
      fromDatabase[row.table_name]![row.column_name] = {
        type,
        nullable: row.is_nullable === 'YES',
        hasDefault: row.column_default !== null,
      };
    }
  });

  it('declares exactly the tables the migrations create', () => {
    expect(Object.keys(fromDrizzle).sort()).toEqual(Object.keys(fromDatabase).sort());
  });

  it('declares every column with the same name, type, nullability and default presence', () => {
    for (const table of Object.keys(fromDatabase)) {
      expect({ table, columns: fromDrizzle[table] }).toEqual({ table, columns: fromDatabase[table] });
    }
  });
});
