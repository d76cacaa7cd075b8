package org.dtlab.job.backtest;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.core.datastream.source.JdbcSource;
import org.apache.flink.connector.jdbc.core.datastream.source.reader.extractor.ResultExtractor;
import org.apache.flink.connector.jdbc.split.JdbcParameterValuesProvider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.dtlab.connectors.journal.JournalOptions;
import org.dtlab.model.json.DateTimes;
import org.dtlab.model.json.Json;

import java.io.Serializable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The live observation journal ({@code dtlab_journal}) as a back-test archive, read through the
 * Flink JDBC connector's source. Each row becomes the archive line the observation would have been
 * ({@code {"path","idx","value","datetime"}}), so the rest of the back-test is the same for files
 * and the journal. The journal holds only accepted observations (never operator outputs), so
 * replaying it through new specs is exactly replaying what the live system received.
 *
 * <p>One query in the primary key's order, {@code (path, seq)}: each twin's observations arrive in
 * the order the live job applied them, which STREAMING needs to replay the live results. It is one
 * split on purpose: the connector's source shares one connection among the split readers of a
 * reader, and a finished split's reader closes the next one's result set (FLINK-39206, seen here on
 * H2 with sequence-range splits). The window and twin prefix are pushed into the SQL.
 */
public final class JournalArchive {

    static final String SQL =
            "SELECT path, idx, val, datetime FROM dtlab_journal"
                    + " WHERE datetime >= ? AND datetime < ? AND path LIKE ?"
                    + " ORDER BY path, seq";

    private JournalArchive() {}

    /**
     * @param from first event time (inclusive), {@code to} the end (exclusive)
     * @param prefix only twins whose path starts with this ({@code ""}: all)
     */
    public static JdbcSource<String> source(
            JournalOptions journal, Instant from, Instant to, String prefix) {
        Serializable[][] parameters = {{utc(from), utc(to), likePrefix(prefix)}};
        JdbcParameterValuesProvider oneSplit = () -> parameters;
        return JdbcSource.<String>builder()
                .setDBUrl(journal.url())
                .setDriverName(journal.driverName())
                .setUsername(journal.user())
                .setPassword(journal.password())
                .setSql(SQL)
                .setJdbcParameterValuesProvider(oneSplit)
                .setResultExtractor(new ArchiveLine())
                .setTypeInformation(Types.STRING)
                .setResultSetFetchSize(10_000)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    private static OffsetDateTime utc(Instant instant) {
        // The database's range of timestamps, not Java's: Instant.MIN/MAX do not fit a TIMESTAMP.
        Instant bounded =
                instant.isBefore(Instant.parse("0001-01-01T00:00:00Z"))
                        ? Instant.parse("0001-01-01T00:00:00Z")
                        : instant.isAfter(Instant.parse("9999-12-31T00:00:00Z"))
                                ? Instant.parse("9999-12-31T00:00:00Z")
                                : instant;
        return OffsetDateTime.ofInstant(bounded, ZoneOffset.UTC);
    }

    /**
     * A LIKE pattern for the prefix; '_' and '%' in it may match more, the archive filter is exact.
     */
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
            line.put(
                    "datetime",
                    DateTimes.format(row.getObject(4, OffsetDateTime.class).toInstant()));
            return line.toString();
        }
    }
}
