-- The journal database of DT Lab on Flink. Applied at every start; every statement is idempotent.
-- Runs unchanged on PostgreSQL 15+ and on H2 2.x (the embedded default). JSON columns are text
-- (PostgreSQL: cast with ::jsonb to query them).

-- Every accepted telemetry, in each twin's order: sequence 1..N per twin.
CREATE TABLE IF NOT EXISTS dtlab_journal (
    path       VARCHAR(2600)            NOT NULL,
    seq        BIGINT                   NOT NULL,
    idx        INTEGER                  NOT NULL,
    val        DOUBLE PRECISION         NOT NULL,
    datetime   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (path, seq)
);
-- A twin's journal by event time: history queries (state as of an instant, ranges, series).
CREATE INDEX IF NOT EXISTS dtlab_journal_by_time ON dtlab_journal (path, datetime);

-- Events: Creation, StateChange ("assessments"; state is the whole new state as JSON), AlarmRaised, AlarmCleared.
CREATE TABLE IF NOT EXISTS dtlab_events (
    event_id   VARCHAR(2700)            NOT NULL PRIMARY KEY,
    path       VARCHAR(2600)            NOT NULL,
    seq        BIGINT                   NOT NULL,
    event_type VARCHAR(32)              NOT NULL,
    dt_type    VARCHAR(128)             NOT NULL,
    created    TIMESTAMP WITH TIME ZONE NOT NULL,
    state      VARCHAR                  NOT NULL
);
-- AlarmRaised / AlarmCleared events carry their alarm as JSON: {name, severity, since, values}.
ALTER TABLE dtlab_events ADD COLUMN IF NOT EXISTS alarm VARCHAR;
CREATE INDEX IF NOT EXISTS dtlab_events_by_path ON dtlab_events (path, seq);
CREATE INDEX IF NOT EXISTS dtlab_events_by_time ON dtlab_events (created);

-- The latest state of every twin (upserted only by a newer version). Ancestors of a twin that
-- never received telemetry have a row with version 0 and an empty state, so children can be listed.
CREATE TABLE IF NOT EXISTS dtlab_twin_state (
    path        VARCHAR(2600)            NOT NULL PRIMARY KEY,
    parent_path VARCHAR(2600),
    dt_type     VARCHAR(128)             NOT NULL,
    instance_id VARCHAR(128)             NOT NULL,
    version     BIGINT                   NOT NULL,
    seq         BIGINT                   NOT NULL,
    state       VARCHAR                  NOT NULL,
    operators   VARCHAR                  NOT NULL,
    updated     TIMESTAMP WITH TIME ZONE,
    created_at  TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    written_at  TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
-- The twin's active alarms as JSON ([{name, severity, since}]), NULL when none is active.
ALTER TABLE dtlab_twin_state ADD COLUMN IF NOT EXISTS alarms VARCHAR;
CREATE INDEX IF NOT EXISTS dtlab_twin_state_children ON dtlab_twin_state (parent_path, dt_type);
CREATE INDEX IF NOT EXISTS dtlab_twin_state_by_type ON dtlab_twin_state (dt_type);

-- The specs in effect, as the twin job applied them from the control topic.
CREATE TABLE IF NOT EXISTS dtlab_specs (
    spec_key   VARCHAR(300)             NOT NULL PRIMARY KEY,
    kind       VARCHAR(32)              NOT NULL,
    name       VARCHAR(128)             NOT NULL,
    spec       VARCHAR,
    version    BIGINT                   NOT NULL,
    updated    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Records that were not accepted, and why: one row per record.
CREATE TABLE IF NOT EXISTS dtlab_rejects (
    origin      VARCHAR(400)             NOT NULL PRIMARY KEY,
    record_key  VARCHAR(2600),
    reason      VARCHAR(2000)            NOT NULL,
    payload     VARCHAR,
    rejected_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Webhook deliveries that failed for good (after the last retry, a 4xx, while the webhook's circuit
-- breaker was open, or beyond its queue).
CREATE TABLE IF NOT EXISTS dtlab_dead_letters (
    event_id   VARCHAR(2700)            NOT NULL,
    webhook    VARCHAR(128)             NOT NULL,
    url        VARCHAR(2000)            NOT NULL,
    status     INTEGER,
    reason     VARCHAR(2000)            NOT NULL,
    attempts   INTEGER                  NOT NULL,
    payload    VARCHAR                  NOT NULL,
    failed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (event_id, webhook)
);
-- Listed and re-sent per webhook, oldest first (GET /webhook/{name}/deadletters). A row is deleted
-- once re-sent successfully; a failed re-send updates status, reason, attempts and failed_at.
CREATE INDEX IF NOT EXISTS dtlab_dead_letters_by_webhook ON dtlab_dead_letters (webhook, failed_at);

-- Back-test results (dtlab backtest --jdbc-url), keyed by run id; back-tests never write the live
-- tables above. One row per run with its summary (JSON), its events, and each twin's final state.
CREATE TABLE IF NOT EXISTS dtlab_backtest_runs (
    run_id     VARCHAR(200)             NOT NULL PRIMARY KEY,
    finished   TIMESTAMP WITH TIME ZONE NOT NULL,
    summary    VARCHAR                  NOT NULL
);

CREATE TABLE IF NOT EXISTS dtlab_backtest_events (
    run_id     VARCHAR(200)             NOT NULL,
    event_id   VARCHAR(2700)            NOT NULL,
    path       VARCHAR(2600)            NOT NULL,
    seq        BIGINT                   NOT NULL,
    event_type VARCHAR(32)              NOT NULL,
    dt_type    VARCHAR(128)             NOT NULL,
    created    TIMESTAMP WITH TIME ZONE NOT NULL,
    state      VARCHAR                  NOT NULL,
    PRIMARY KEY (run_id, event_id)
);
ALTER TABLE dtlab_backtest_events ADD COLUMN IF NOT EXISTS alarm VARCHAR;

CREATE TABLE IF NOT EXISTS dtlab_backtest_states (
    run_id     VARCHAR(200)             NOT NULL,
    path       VARCHAR(2600)            NOT NULL,
    dt_type    VARCHAR(128)             NOT NULL,
    version    BIGINT                   NOT NULL,
    seq        BIGINT                   NOT NULL,
    state      VARCHAR                  NOT NULL,
    updated    TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (run_id, path)
);
