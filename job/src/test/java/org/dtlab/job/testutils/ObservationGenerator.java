package org.dtlab.job.testutils;

import org.apache.flink.connector.datagen.source.GeneratorFunction;

import org.dtlab.model.event.RawRecord;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.telemetry.TwinMessage;

import java.time.Instant;
import java.util.List;

/**
 * A deterministic observation stream: record {@code i} is always the same, so two runs over the
 * same indexes must end in the same state. It has every operator kind, per-twin operator commands
 * and some bad records.
 *
 * <ul>
 *   <li>twin {@code machine/m<i % twins>}; heights on idx 0 and temperatures on idx 1, alternating;
 *   <li>event time advances 7 minutes per record, so the duration operators move;
 *   <li>every 401st record puts a {@code max} operator on its twin, every 1009th deletes them;
 *   <li>every 97th record has an idx out of bounds (a reject).
 * </ul>
 */
public final class ObservationGenerator implements GeneratorFunction<Long, RawRecord> {

    private static final long serialVersionUID = 1L;

    public static final List<String> PROPS =
            List.of(
                    "height",
                    "temp",
                    "height_count",
                    "temp_min",
                    "hours_active",
                    "first_seen",
                    "height_max",
                    "temp_max");

    /** Type-level operators of {@code machine}. */
    public static final List<OperatorSpec> TYPE_OPERATORS =
            List.of(
                    Records.op("height_count", "count", List.of(0), List.of(2)),
                    Records.op("temp_min", "min", List.of(1), List.of(3)),
                    Records.op("active", "HOURS_ACTIVE", List.of(0, 1), List.of(4, 5)),
                    Records.op("temp_max", "Max", List.of(1), List.of(7)));

    private final int twins;

    public ObservationGenerator(int twins) {
        this.twins = twins;
    }

    @Override
    public RawRecord map(Long index) {
        long i = index;
        String path = "machine/m" + (i % twins);
        Instant at = Records.T0.plusSeconds(420 * i);
        TwinMessage message;
        if (i % 401 == 400) {
            message =
                    TwinMessage.putOperator(
                            path, Records.op("height_max", "max", List.of(0), List.of(6)), at);
        } else if (i % 1009 == 1008) {
            message = TwinMessage.deleteOperators(path, at);
        } else if (i % 97 == 96) {
            message = TwinMessage.telemetry(path, PROPS.size(), 1.0, at);
        } else {
            int idx = (int) ((i / twins) % 2);
            double value = ((i * 7919) % 1000) / 10.0;
            message = TwinMessage.telemetry(path, idx, value, at);
        }
        // Stamped as the query service stamps what it validated: the type is the first control
        // record, so no observation may overtake it (the inputs race otherwise; decisions §8).
        return RawRecord.of(
                "gen@" + i, path, Records.json(message.validatedAt(1)), at.toEpochMilli());
    }

    /** The index a generated record came from. */
    public static long indexOf(RawRecord record) {
        return Long.parseLong(record.origin().substring("gen@".length()));
    }
}
