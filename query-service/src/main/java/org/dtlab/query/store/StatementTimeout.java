package org.dtlab.query.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Every statement of the query service's database reads with one timeout, so no request waits on a
 * hung database longer than {@code --jdbc.query-timeout-ms} (JDBC counts whole seconds).
 */
public record StatementTimeout(int seconds) {

    public static StatementTimeout ofMillis(int millis) {
        return new StatementTimeout(Math.max(1, (millis + 999) / 1000));
    }

    /** A statement with the timeout set (closed again if setting it fails). */
    public PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            ps.setQueryTimeout(seconds);
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
        return ps;
    }
}
