-- H2 only, applied after schema.sql. Idempotent.

-- The events' insertion numbers come from an identity sequence. H2 writes a sequence's state to disk
-- each time it has handed out its cache of numbers (32 by default), and the embedded database runs
-- with WRITE_DELAY=0: every such write stores all changed pages. With the default, that was half of
-- the events writer's time (docs/benchmarks.md). After a crash the numbers not handed out are
-- skipped: the event streams wait once for the gap (GapGuard), then go on.
ALTER TABLE dtlab_events ALTER COLUMN event_no SET CACHE 1000;

-- The events' indexes by twin and by time serve users' queries on PostgreSQL. The embedded H2 of
-- `dtlab local` is read by DT Lab alone (its file is locked while it runs), which never uses them,
-- and every event paid two random-order index inserts for them. Dropped where earlier versions made
-- them.
DROP INDEX IF EXISTS dtlab_events_by_path;
DROP INDEX IF EXISTS dtlab_events_by_time;
