package org.dtlab.model.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the journal tables if they are missing. Safe to run at every start, by every component:
 * the job (which writes them) and the query service (which reads them) both do.
 */
public final class JournalSchema {

    private static final String RESOURCE = "/org/dtlab/model/journal/schema.sql";

    /** Storage settings only PostgreSQL has, applied after {@link #RESOURCE} there. */
    private static final String POSTGRESQL_RESOURCE =
            "/org/dtlab/model/journal/schema-postgresql.sql";

    /** Settings only H2 has, applied after {@link #RESOURCE} there. */
    private static final String H2_RESOURCE = "/org/dtlab/model/journal/schema-h2.sql";

    /** A column width in {@code schema.sql}: {@code ${PATH}} is {@link JournalLimits#PATH}. */
    private static final Pattern WIDTH = Pattern.compile("\\$\\{([A-Z_]+)}");

    private JournalSchema() {}

    public static void apply(String url, String user, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            apply(connection);
        }
    }

    public static void apply(Connection connection) throws SQLException {
        List<String> statements = new ArrayList<>(statements());
        String product = connection.getMetaData().getDatabaseProductName();
        if ("PostgreSQL".equals(product)) {
            statements.addAll(statements(POSTGRESQL_RESOURCE));
        } else if ("H2".equals(product)) {
            statements.addAll(statements(H2_RESOURCE));
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The statements of {@code schema.sql}, comments removed and column widths filled in. */
    static List<String> statements() {
        return statements(RESOURCE);
    }

    /** The statements of a script, comments removed and column widths filled in. */
    static List<String> statements(String resource) {
        String script;
        try (InputStream in = JournalSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder withoutComments = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String sql : withWidths(withoutComments.toString()).split(";")) {
            if (!sql.isBlank()) {
                statements.add(sql.strip());
            }
        }
        return statements;
    }

    private static String withWidths(String script) {
        Matcher width = WIDTH.matcher(script);
        StringBuilder filled = new StringBuilder();
        while (width.find()) {
            Integer value = JournalLimits.BY_NAME.get(width.group(1));
            if (value == null) {
                throw new IllegalStateException(
                        RESOURCE + ": no width " + width.group() + " in JournalLimits");
            }
            width.appendReplacement(filled, value.toString());
        }
        width.appendTail(filled);
        return filled.toString();
    }
}
