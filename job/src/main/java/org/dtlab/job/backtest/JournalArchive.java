package org.dtlab.job.backtest;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.core.datastream.source.JdbcSource;
import org.apache.flink.connector.jdbc.core.datastream.source.reader.extractor.ResultExtractor;
import org.apache.flink.connector.jdbc.split.JdbcParameterValuesProvider;
import org.dtlab.connectors.journal.JournalOptions;
import org.dtlab.model.json.DateTimes;
import org.dtlab.model.json.Json;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The live observation journal ({@code dtlab_journal}) as a back-test archive, read through the
 * Flink JDBC connector's source. Each row becomes the archive line the observation would have been
 * ({@code {"path","idx","value","datetime"}}), so the rest of the back-test is the same for files and
 * the journal. The journal holds only accepted observations (never operator outputs), so replaying
 * it through new specs is exactly replaying what the live system received.
 *
 * <p>The read can be split by sequence-number ranges (every twin's sequence runs 1..N), one query
 * per split, so several readers share it — for BATCH, which sorts each twin by event time anyway.
 * With one split, every twin's observations arrive in journal order (the primary key's order), as
 * the live job applied them: what STREAMING needs to replay the live results. The window and twin
 * prefix are pushed into the SQL.
 */
public final class JournalArchive {

    static final String SQL = "SELECT path, idx, val, datetime FROM dtlab_journal"
            + " WHERE datetime >= ? AND datetime < ? AND path LIKE ? AND seq BETWEEN ? AND ?"
            + " ORDER BY path, seq";

    private JournalArchive() {}

    /**
     * @param from first event time (inclusive), {@code to} the end (exclusive)
     * @param prefix only twins whose path starts with this ({@code ""}: all)
     * @param splits how many queries to split the read into (1: each twin in journal order)
     */
    public static JdbcSource<String> source(JournalOptions journal, Instant from, Instant to, String prefix, int splits)
            throws SQLException {
        long maxSeq = maxSequence(journal);
        long width = Math.max(1, (maxSeq + splits - 1) / splits);
        Serializable[][] parameters = new Serializable[(int) Math.max(1, Math.min(splits, maxSeq))][];
        for (int i = 0; i < parameters.length; i++) {
            long low = i * width + 1;
            long high = i == parameters.length - 1 ? Long.MAX_VALUE : (i + 1) * width;
            parameters[i] = new Serializable[] {utc(from), utc(to), likePrefix(prefix), low, high};
        }
        JdbcParameterValuesProvider ranges = () -> parameters;
        return JdbcSource.<String>builder()
                .setDBUrl(journal.url())
                .setDriverName(journal.driverName())
                .setUsername(journal.user())
                .setPassword(journal.password())
                .setSql(SQL)
                .setJdbcParameterValuesProvider(ranges)
                .setResultExtractor(new ArchiveLine())
                .setTypeInformation(Types.STRING)
                .setResultSetFetchSize(10_000)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    private static long maxSequence(JournalOptions journal) throws SQLException {
        try (Connection c = DriverManager.getConnection(journal.url(), journal.user(), journal.password());
                PreparedStatement s = c.prepareStatement("SELECT MAX(seq) FROM dtlab_journal");
                ResultSet r = s.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        // The database's range of timestamps, not Java's: Instant.MIN/MAX do not fit a TIMESTAMP.
        Instant bounded = instant.isBefore(Instant.parse("0001-01-01T00:00:00Z")) ? Instant.parse("0001-01-01T00:00:00Z")
                : instant.isAfter(Instant.parse("9999-12-31T00:00:00Z")) ? Instant.parse("9999-12-31T00:00:00Z") : instant;
        return OffsetDateTime.ofInstant(bounded, ZoneOffset.UTC);
    }

    /** A LIKE pattern for the prefix; '_' and '%' in it may match more, the archive filter is exact. */
    private static String likePrefix(String prefix) {
        return (prefix.startsWith("/") ? prefix.substring(1) : prefix) + "%";
    }

    /** One journal row as the archive line of the observation. */
    static final class ArchiveLine implements ResultExtractor<String> {

        private static final long serialVersionUID = 1L;

        @Override
        public String extract(ResultSet row) throws SQLException {
            ObjectNode line = Json.mapper().createObjectNode();
            line.put("path", row.getString(1));
            line.put("idx", row.getInt(2));
            line.put("value", row.getDouble(3));
            line.put("datetime", DateTimes.format(row.getObject(4, OffsetDateTime.class).toInstant()));
            return line.toString();
        }
    }
}
