package org.dtlab.model.event;

/**
 * A record as a source delivered it, before it is parsed: the pipeline's input type. Parsing
 * happens in the job so that a malformed record becomes a {@link Reject} with its origin instead of
 * an exception in a source.
 *
 * @param origin where it came from, e.g. {@code dtlab.observations/2@1234} (topic/partition@offset)
 *     or {@code archive.ndjson:17} (file:line)
 * @param key the record key, or {@code null}
 * @param payload the record's text
 * @param timestamp the record's own timestamp in epoch milliseconds (Kafka's, or the file's); the
 *     datetime of a telemetry that has none, so that a replay gives it the same time
 * @param defect why the source could not read the record (too large, not UTF-8), or {@code null}; a
 *     record with a defect becomes a reject
 */
public record RawRecord(String origin, String key, String payload, long timestamp, String defect) {

    /** A record the source read without trouble. */
    public static RawRecord of(String origin, String key, String payload, long timestamp) {
        return new RawRecord(origin, key, payload, timestamp, null);
    }
}
