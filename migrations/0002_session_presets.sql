-- 0002_session_presets: a preset's launch defaults become one jsonb document, `defaults`, read
-- back through the contracts' ZLaunchDefaults (model, prompts, resources, env, secret env refs,
-- MCP servers, setup scripts, credentials, integrations, terminal restriction, idle timeout).
-- 0001 spread five of those over columns of their own and had no place for the others; their
-- values are folded into `defaults` and the columns dropped. A session without endpoints holds
-- the JSON value null (the column stays NOT NULL).
--
-- Idempotent like every migration: the fold runs only while the old columns still exist.

ALTER TABLE presets ADD COLUMN IF NOT EXISTS defaults jsonb NOT NULL DEFAULT '{}'::jsonb;

DO $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = 'presets' AND column_name = 'model'
  ) THEN
    UPDATE presets SET defaults = jsonb_strip_nulls(jsonb_build_object(
        'model', model,
        'systemPrompt', system_prompt,
        'resources', CASE WHEN resources = '{}'::jsonb THEN NULL ELSE resources END,
        'env', CASE WHEN env = '{}'::jsonb THEN NULL ELSE env END,
        'mcpServers', CASE WHEN jsonb_typeof(mcp_servers) = 'array' AND mcp_servers <> '[]'::jsonb THEN mcp_servers END
      )) || defaults;
    ALTER TABLE presets
      DROP COLUMN model,
      DROP COLUMN system_prompt,
      DROP COLUMN resources,
      DROP COLUMN env,
      DROP COLUMN mcp_servers;
  END IF;
END $$;

ALTER TABLE sessions ALTER COLUMN endpoints SET DEFAULT 'null'::jsonb;
