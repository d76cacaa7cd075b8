-- PostgreSQL only, applied after schema.sql: storage settings H2 does not have. Idempotent.

-- Every state row is updated again and again (a new version of the row each time). With room left on
-- each page, PostgreSQL updates a row on its own page without touching its three indexes (a "HOT"
-- update: none of the indexed columns changes). Measured: 500,000 upserts of 100,000 rows in batches
-- of 5,000 took about 40 % less time with fillfactor 70 than with the default 100 (docs/benchmarks.md).
-- Takes effect on pages written from now on.
ALTER TABLE dtlab_twin_state SET (fillfactor = 70);

-- The events by twin and by time, for users' queries (a twin's events, a Grafana time range). No code
-- of DT Lab reads them; on H2, which only DT Lab reads, they are not kept (schema-h2.sql).
CREATE INDEX IF NOT EXISTS dtlab_events_by_path ON dtlab_events (path, seq);
CREATE INDEX IF NOT EXISTS dtlab_events_by_time ON dtlab_events (created);
