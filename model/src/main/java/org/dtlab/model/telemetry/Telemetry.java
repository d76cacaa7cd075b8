package org.dtlab.model.telemetry;

import org.dtlab.model.json.DateTimes;

import java.time.Instant;
import java.util.Objects;

/**
 * One property value of a twin at a point in event time, in the indexed form {@code {idx, value,
 * datetime}}. A twin's state is the last telemetry per {@code idx}.
 */
public record Telemetry(int idx, double value, Instant datetime) {

    public Telemetry {
        Objects.requireNonNull(datetime, "datetime");
    }

    @Override
    public String toString() {
        return "{idx="
                + idx
                + ", value="
                + value
                + ", datetime="
                + DateTimes.format(datetime)
                + "}";
    }
}
