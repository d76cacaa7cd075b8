package org.dtlab.connectors.journal;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How one journal table is written with {@code COPY}: its columns, how a row fills them, and what
 * happens when a row is already there (a replay after a recovery writes rows again).
 *
 * <ul>
 *   <li>{@link #insertOnce}: rows are immutable and keyed; a row already present is kept. Rows are
 *       copied straight into the table; only a batch that meets a duplicate goes through a staging
 *       table and {@code INSERT … ON CONFLICT DO NOTHING}.
 *   <li>{@link #newestVersion}: one row per key, replaced only by a higher version. A batch keeps
 *       the newest row per key, is copied into a staging table and upserted from there.
 * </ul>
 *
 * @param <T> the element the sink receives
 */
record CopyTable<T>(
        String table,
        List<String> columns,
        List<String> key,
        Row<T> row,
        Key<T> batchKey,
        Version<T> version,
        String versionColumn,
        List<String> touchedOnUpdate)
        implements Serializable {

    /** Fills one row: exactly {@code columns().size()} values, in order. */
    @FunctionalInterface
    interface Row<T> extends Serializable {
        void write(T element, PgBinaryRows out) throws IOException;
    }

    /** The key of an element, to keep only the newest row per key within a batch. */
    @FunctionalInterface
    interface Key<T> extends Serializable {
        String of(T element);
    }

    /** The version of an element's row: a higher one replaces a lower. */
    @FunctionalInterface
    interface Version<T> extends Serializable {
        long of(T element);
    }

    CopyTable {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(row, "row");
        columns = List.copyOf(columns);
        key = List.copyOf(key);
        touchedOnUpdate = List.copyOf(touchedOnUpdate);
        if (columns.isEmpty() || key.isEmpty() || !columns.containsAll(key)) {
            throw new IllegalArgumentException(
                    table + ": the key columns must be among the columns");
        }
    }

    static <T> CopyTable<T> insertOnce(
            String table, List<String> columns, List<String> key, Row<T> row) {
        return new CopyTable<>(table, columns, key, row, null, null, null, List.of());
    }

    /**
     * @param touchedOnUpdate columns outside {@code columns} set to {@code CURRENT_TIMESTAMP} on an
     *     update
     */
    static <T> CopyTable<T> newestVersion(
            String table,
            List<String> columns,
            String key,
            Key<T> batchKey,
            String versionColumn,
            Version<T> version,
            List<String> touchedOnUpdate,
            Row<T> row) {
        Objects.requireNonNull(batchKey, "batchKey");
        Objects.requireNonNull(version, "version");
        if (!columns.contains(versionColumn)) {
            throw new IllegalArgumentException(
                    table + ": the version column must be among the columns");
        }
        return new CopyTable<>(
                table,
                columns,
                List.of(key),
                row,
                batchKey,
                version,
                versionColumn,
                touchedOnUpdate);
    }

    boolean upserts() {
        return versionColumn != null;
    }

    String columnList() {
        return String.join(", ", columns);
    }

    String stagingTable() {
        return table + "_copy_stage";
    }

    String copyInto(String target) {
        return "COPY " + target + " (" + columnList() + ") FROM STDIN (FORMAT binary)";
    }

    /** A session's staging table: the copied columns only, emptied at every commit. */
    String createStaging() {
        return "CREATE TEMPORARY TABLE IF NOT EXISTS "
                + stagingTable()
                + " ON COMMIT DELETE ROWS AS SELECT "
                + columnList()
                + " FROM "
                + table
                + " WITH NO DATA";
    }

    /**
     * From the staging table into the table, keeping rows already there (or older versions
     * replaced).
     */
    String mergeFromStaging() {
        String insert =
                "INSERT INTO "
                        + table
                        + " ("
                        + columnList()
                        + ") SELECT "
                        + columnList()
                        + " FROM "
                        + stagingTable()
                        + " ON CONFLICT ("
                        + String.join(", ", key)
                        + ") DO ";
        if (!upserts()) {
            return insert + "NOTHING";
        }
        String set =
                columns.stream()
                        .filter(c -> !key.contains(c))
                        .map(c -> c + " = EXCLUDED." + c)
                        .collect(Collectors.joining(", "));
        String touched =
                touchedOnUpdate.stream()
                        .map(c -> ", " + c + " = CURRENT_TIMESTAMP")
                        .collect(Collectors.joining());
        return insert
                + "UPDATE SET "
                + set
                + touched
                + " WHERE EXCLUDED."
                + versionColumn
                + " > "
                + table
                + "."
                + versionColumn;
    }
}
