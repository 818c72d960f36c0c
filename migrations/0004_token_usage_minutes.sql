-- 0004_token_usage_minutes: token usage summed per session, minute and model, maintained as
-- usage reports arrive (docs/chronicles.md). A token burn in buckets that are whole minutes
-- (60, 300, 3600 s…) reads these rows — a few hundred for a day-long session — instead of
-- every usage report; other bucket sizes still aggregate `token_usage`. Buckets count from
-- the minute the session started, so both ways give the same sums.
--
-- Idempotent like every migration.

CREATE TABLE IF NOT EXISTS token_usage_minutes (
  session_id text NOT NULL,
  -- floor(epoch seconds of recorded_at / 60)
  minute bigint NOT NULL,
  model text NOT NULL,
  turns integer NOT NULL DEFAULT 0,
  input_tokens bigint NOT NULL DEFAULT 0,
  output_tokens bigint NOT NULL DEFAULT 0,
  cache_read_tokens bigint NOT NULL DEFAULT 0,
  cache_write_tokens bigint NOT NULL DEFAULT 0,
  cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, minute, model)
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'token_usage_minutes_session_id_fkey' AND conrelid = 'token_usage_minutes'::regclass) THEN
    ALTER TABLE token_usage_minutes ADD CONSTRAINT token_usage_minutes_session_id_fkey
      FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE;
  END IF;
END $$;

-- Usage stored before this table existed.
INSERT INTO token_usage_minutes (session_id, minute, model, turns, input_tokens, output_tokens,
  cache_read_tokens, cache_write_tokens, cost_usd)
SELECT session_id, floor(extract(epoch FROM recorded_at) / 60)::bigint, model, count(*), sum(input_tokens),
  sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(cost_usd)
FROM token_usage
GROUP BY 1, 2, 3
ON CONFLICT (session_id, minute, model) DO NOTHING;
