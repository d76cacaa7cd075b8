package org.dtlab.connectors.testutils;

import org.dtlab.connectors.journal.JournalOptions;
import org.dtlab.model.journal.JournalSchema;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh, empty journal database for one test class: an in-memory H2 database, or a new schema in
 * the real PostgreSQL server that {@code .ci/run} starts.
 *
 * <p>PostgreSQL is found at {@code -Ddtlab.test.postgres.url} (default {@code
 * jdbc:postgresql://127.0.0.1:5432/twin}, user and password {@code twin}). If it is not reachable
 * the tests fail, saying how to start it; {@code -Ddtlab.test.postgres=skip} skips them explicitly
 * instead.
 */
public final class TestDatabase {

    private static final Pattern ADDRESS = Pattern.compile("//[^/:]+(?::(\\d+))?/");

    private final String url;
    private final String user;
    private final String password;

    private TestDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public static TestDatabase h2() {
        return new TestDatabase("jdbc:h2:mem:" + uniqueName() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    public static TestDatabase postgres() throws SQLException {
        Assumptions.assumeFalse(
                "skip".equals(System.getProperty("dtlab.test.postgres")),
                "PostgreSQL tests skipped on request (-Ddtlab.test.postgres=skip)");
        String base =
                System.getProperty(
                        "dtlab.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/twin");
        String user = System.getProperty("dtlab.test.postgres.user", "twin");
        String password = System.getProperty("dtlab.test.postgres.password", "twin");
        String schema = uniqueName();
        try (Connection c = DriverManager.getConnection(base, user, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new SQLException(
                    "PostgreSQL is not reachable at "
                            + base
                            + " as "
                            + user
                            + ": start it as .ci/run does (pg_ctlcluster 15 main start; role and"
                            + " database 'twin'), or pass -Ddtlab.test.postgres=skip to skip these"
                            + " tests",
                    e);
        }
        return new TestDatabase(
                base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                user,
                password);
    }

    /**
     * The same database reached at {@code 127.0.0.1:port} instead: through a {@link TcpProxy} in
     * front of {@link #port()}, say.
     */
    public TestDatabase at(int port) {
        return new TestDatabase(
                url.replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/"), user, password);
    }

    /** The PostgreSQL server's port (5432 unless the URL says another). */
    public int port() {
        Matcher address = ADDRESS.matcher(url);
        if (!address.find()) {
            throw new IllegalStateException("not a server's URL: " + url);
        }
        return address.group(1) == null ? 5432 : Integer.parseInt(address.group(1));
    }

    public JournalOptions options() {
        return JournalOptions.builder()
                .setUrl(url)
                .setUser(user)
                .setPassword(password)
                .setBatchSize(50)
                .setBatchIntervalMs(50)
                .build();
    }

    /** Creates the journal tables (idempotent). */
    public TestDatabase applySchema() throws SQLException {
        JournalSchema.apply(url, user, password);
        return this;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The number (or other whole value) that a one-row, one-column query answers. */
    public long count(String sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    public String url() {
        return url;
    }

    private static String uniqueName() {
        return "dtlab_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
