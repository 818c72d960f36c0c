import { boolean, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Mirrors migrations/0001_init.sql and 0002_session_presets.sql (the SQL is the source of truth; schema-drift test checks it).

const tz = { withTimezone: true, mode: 'date' } as const;

export const presets = pgTable('presets', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id').notNull(),
  tenantId: text('tenant_id').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  cliTool: text('cli_tool', { enum: ['claude', 'codex'] }).notNull(),
  isDefault: boolean('is_default').notNull().default(false),
  templateName: text('template_name'),
  profileName: text('profile_name'),
  /** The preset's LaunchDefaults (migrations/0002_session_presets.sql), parsed on read. */
  defaults: jsonb('defaults').notNull().default({}),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
});
