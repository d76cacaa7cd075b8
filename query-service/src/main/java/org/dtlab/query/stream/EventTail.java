package org.dtlab.query.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.util.RawValue;
import org.dtlab.model.event.WebhookPayload;
import org.dtlab.model.json.Json;
import org.dtlab.model.spec.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one reader of {@code dtlab_events} for every stream of this service: each poll interval, one
 * query for the events inserted since the last one (by {@code event_no}), handed to the {@link
 * EventHub} in insertion order. So the database sees the same load for one subscriber or ten
 * thousand, and an event reaches the streams at most one interval after the job wrote it.
 *
 * <p>There is no events topic on Kafka yet; reading the table the job writes anyway needs nothing
 * new in the job, and gives every replica of the service the same event numbers.
 */
public final class EventTail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventTail.class);

    /** Rows per query: a backlog is read in several polls rather than in one huge result. */
    static final int BATCH = 1000;

    private static final String READ =
            "SELECT event_no, event_id, path, event_type, dt_type, created, state, alarm"
                    + " FROM dtlab_events WHERE event_no > ? ORDER BY event_no LIMIT "
                    + BATCH;

    private final DataSource dataSource;
    private final EventHub hub;
    private final GapGuard gaps;
    private final long pollIntervalMs;
    private final int queryTimeoutSeconds;
    private final ScheduledExecutorService poller =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "dtlab-event-tail");
                        t.setDaemon(true);
                        return t;
                    });

    /** The number of the last event handed to the hub. */
    private long cursor;

    private long highestSeen;
    private boolean failing;

    /**
     * @param gapWaitMs how long a missing event number holds back the ones after it ({@link
     *     GapGuard})
     */
    public EventTail(
            DataSource dataSource,
            EventHub hub,
            long pollIntervalMs,
            long gapWaitMs,
            int queryTimeoutMs) {
        this.dataSource = dataSource;
        this.hub = hub;
        this.gaps = new GapGuard(gapWaitMs);
        this.pollIntervalMs = pollIntervalMs;
        this.queryTimeoutSeconds = Math.max(1, (queryTimeoutMs + 999) / 1000);
    }

    /**
     * Starts polling from the newest {@code retention} events, so that a client reconnecting after
     * this service restarted can still resume.
     */
    public EventTail start(int retention) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT COALESCE(MAX(event_no), 0) FROM dtlab_events");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            cursor = Math.max(0, rs.getLong(1) - retention);
            highestSeen = cursor;
        }
        hub.startAfter(cursor);
        poller.scheduleWithFixedDelay(this::pollSafely, 0, pollIntervalMs, TimeUnit.MILLISECONDS);
        return this;
    }

    private void pollSafely() {
        try {
            while (poll() == BATCH) {
                // a backlog: read on at once
            }
            if (failing) {
                LOG.info("reading dtlab_events again");
                failing = false;
            }
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                LOG.warn(
                        "cannot read dtlab_events, streams wait (retrying every {} ms): {}",
                        pollIntervalMs,
                        e.toString());
                failing = true;
            }
        }
    }

    /** One query; returns how many rows it read. */
    int poll() throws SQLException {
        List<StreamedEvent> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(READ)) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setLong(1, cursor);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(event(rs));
                }
            }
        }
        if (!rows.isEmpty()) {
            highestSeen = Math.max(highestSeen, rows.get(rows.size() - 1).number());
        }
        gaps.saw(highestSeen, System.nanoTime());
        List<StreamedEvent> ready = new ArrayList<>(rows.size());
        for (StreamedEvent row : rows) {
            if (!gaps.mayFollow(cursor, row.number())) {
                break; // an earlier number may still commit: this one and the rest wait for the
                // next poll
            }
            ready.add(row);
            cursor = row.number();
        }
        if (!ready.isEmpty()) {
            hub.publish(ready);
        }
        if (rows.size() < BATCH && ready.size() == rows.size()) {
            hub.caughtUp();
        }
        return ready.size() == rows.size() ? rows.size() : 0;
    }

    private static StreamedEvent event(ResultSet rs) throws SQLException {
        EventType type = eventType(rs.getString(4));
        String path = rs.getString(3);
        // The body a webhook gets; the state and alarm columns are JSON already and go in as they
        // are.
        Object body =
                switch (type) {
                    case CREATION -> EventType.CREATION.jsonName();
                    case STATE_CHANGE -> new RawValue(rs.getString(7));
                    case ALARM_RAISED, ALARM_CLEARED ->
                            rs.getString(8) == null ? null : new RawValue(rs.getString(8));
                };
        WebhookPayload payload =
                new WebhookPayload(
                        rs.getString(2),
                        rs.getObject(6, OffsetDateTime.class).toInstant(),
                        type.jsonName(),
                        "/" + path,
                        body);
        try {
            return StreamedEvent.of(
                    rs.getLong(1),
                    path,
                    rs.getString(5),
                    type,
                    Json.mapper().writeValueAsString(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an event", e);
        }
    }

    private static EventType eventType(String name) {
        for (EventType t : EventType.values()) {
            if (t.jsonName().equals(name)) {
                return t;
            }
        }
        throw new IllegalStateException("unknown event type in dtlab_events: " + name);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
