package org.dtlab.model.event;

import java.time.Instant;

/**
 * A spec the twin job applied from the control topic: for the specs table, which shows what is in
 * effect.
 *
 * @param key the control key, e.g. {@code type/machinery}
 * @param spec the spec as JSON, or {@code null} when it was deleted
 * @param version the registry's version after the change (it orders the rows)
 * @param updated when the change was issued
 */
public record SpecChange(
        String key, String kind, String name, String spec, long version, Instant updated) {}
