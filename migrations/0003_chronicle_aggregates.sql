-- 0003_chronicle_aggregates: what chronicles need to be fast on large timelines and to ingest
-- broker reports exactly once (docs/chronicles.md).
--
-- * One chronicle per session (a unique index; the draft is created by whichever report or
--   reforge comes first).
-- * `chronicles.started_at`: t = 0 of the session's timeline, the origin of token-burn buckets.
-- * `chronicle_files`: the file summary maintained as `file` events arrive (one row per path,
--   +/− summed, whether the path was ever created or deleted), so a chronicle's detail reads a
--   row per path instead of aggregating its whole timeline.
-- * Timeline indexes for pages by time (and by type and time, which also serves the commits,
--   newest first), and for retention.
--
-- Timeline and usage rows keep their idempotency keys in the existing unique columns as
-- `<session id>/<report key>`: broker keys are unique only within their session.
--
-- Idempotent like every migration.

ALTER TABLE chronicles ADD COLUMN IF NOT EXISTS started_at timestamptz NULL;

CREATE UNIQUE INDEX IF NOT EXISTS chronicles_session_id_key ON chronicles (session_id) WHERE session_id IS NOT NULL;
-- The completion job's scan: drafts only.
CREATE INDEX IF NOT EXISTS chronicles_drafts_idx ON chronicles (updated_at) WHERE status = 'draft';
-- Retention: chronicles untouched since a cut-off.
CREATE INDEX IF NOT EXISTS chronicles_updated_at_idx ON chronicles (updated_at);

CREATE TABLE IF NOT EXISTS chronicle_files (
  chronicle_id text NOT NULL,
  path text NOT NULL,
  insertions bigint NOT NULL DEFAULT 0,
  deletions bigint NOT NULL DEFAULT 0,
  -- How many `file` events the path had.
  changes integer NOT NULL DEFAULT 0,
  created boolean NOT NULL DEFAULT false,
  deleted boolean NOT NULL DEFAULT false,
  last_changed_at timestamptz NOT NULL,
  PRIMARY KEY (chronicle_id, path)
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chronicle_files_chronicle_id_fkey' AND conrelid = 'chronicle_files'::regclass) THEN
    ALTER TABLE chronicle_files ADD CONSTRAINT chronicle_files_chronicle_id_fkey
      FOREIGN KEY (chronicle_id) REFERENCES chronicles (id) ON DELETE CASCADE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chronicle_files_counts_check' AND conrelid = 'chronicle_files'::regclass) THEN
    ALTER TABLE chronicle_files ADD CONSTRAINT chronicle_files_counts_check
      CHECK (insertions >= 0 AND deletions >= 0 AND changes >= 0);
  END IF;
END $$;

-- The detail lists the most recently changed paths first.
CREATE INDEX IF NOT EXISTS chronicle_files_recent_idx ON chronicle_files (chronicle_id, last_changed_at DESC, path);

-- Timeline pages, oldest first (created_at holds when the event happened).
CREATE INDEX IF NOT EXISTS timeline_events_chronicle_time_idx ON timeline_events (chronicle_id, created_at, id);
-- Pages of some types; read backwards it gives the commits (type 'git') newest first.
CREATE INDEX IF NOT EXISTS timeline_events_chronicle_type_time_idx ON timeline_events (chronicle_id, type, created_at, id);
-- Retention of usage rows.
CREATE INDEX IF NOT EXISTS token_usage_recorded_at_idx ON token_usage (recorded_at);
