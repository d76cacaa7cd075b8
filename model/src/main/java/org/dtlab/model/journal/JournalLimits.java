package org.dtlab.model.journal;

import org.dtlab.model.Names;
import org.dtlab.model.telemetry.TwinPath;

import java.util.Map;

/**
 * The widths of the journal's bounded text columns, declared once: the DDL ({@code schema.sql}
 * names them as {@code ${PATH}} …, filled in by {@link JournalSchema}), the casts in the sinks'
 * {@code MERGE} statements and the truncation of free text all read them here.
 *
 * <p>Changing one widens new databases only: {@code CREATE TABLE IF NOT EXISTS} leaves an existing
 * table as it is, so a wider column needs an {@code ALTER TABLE} in {@code schema.sql} too.
 */
public final class JournalLimits {

    /**
     * A twin path: {@link TwinPath#MAX_LEVELS} levels of type and instance names of {@link
     * Names#MAX_LENGTH} characters, with the slashes between them, is 2,579 characters.
     */
    public static final int PATH = 2600;

    /** An event id: the twin's path, its journal sequence and, for a timer, its event time. */
    public static final int EVENT_ID = 2700;

    /** A type, instance, spec or webhook name. */
    public static final int NAME = Names.MAX_LENGTH;

    /** An event type ({@code StateChange} …). */
    public static final int EVENT_TYPE = 32;

    /** A spec's kind ({@code type}, {@code webhook} …). */
    public static final int SPEC_KIND = 32;

    /** A spec's key: its kind and name. */
    public static final int SPEC_KEY = 300;

    /** Where a rejected record came from: {@code topic/partition@offset}. */
    public static final int ORIGIN = 400;

    /** Why a record was rejected or a delivery failed: longer reasons are cut ({@link #fit}). */
    public static final int REASON = 2000;

    /** A webhook's URL. */
    public static final int URL = 2000;

    /** A back-test's run id. */
    public static final int RUN_ID = 200;

    /** The widths by the names {@code schema.sql} uses for them. */
    static final Map<String, Integer> BY_NAME =
            Map.of(
                    "PATH", PATH,
                    "EVENT_ID", EVENT_ID,
                    "NAME", NAME,
                    "EVENT_TYPE", EVENT_TYPE,
                    "SPEC_KIND", SPEC_KIND,
                    "SPEC_KEY", SPEC_KEY,
                    "ORIGIN", ORIGIN,
                    "REASON", REASON,
                    "URL", URL,
                    "RUN_ID", RUN_ID);

    private JournalLimits() {}

    /** The SQL type of a column of this width: {@code VARCHAR(width)}. */
    public static String varchar(int width) {
        return "VARCHAR(" + width + ")";
    }

    /** The text, cut to {@code width} characters if it is longer (as free text is, not keys). */
    public static String fit(String text, int width) {
        return text.length() > width ? text.substring(0, width) : text;
    }
}
