package org.dtlab.model.logic;

import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Telemetry;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operators of the original DT Lab. Each sees the twin's state <em>before</em> the triggering
 * telemetry and writes its outputs into {@code emit}.
 *
 * <p>Departures from the original, all for replayable results: outputs carry the triggering
 * telemetry's datetime (not the server clock), a missing min/max output means "no value yet" (not
 * the ±2^31 sentinels, which made larger values unrecordable), and the duration operators take
 * their first-seen time from the telemetry, not from the clock.
 */
public enum BuiltinOperator {
    /** {@code output[0]} = previous value (0 if none) + 1. */
    COUNT {
        @Override
        void apply(TwinState pre, Telemetry t, List<Integer> out, Map<Integer, Telemetry> emit) {
            int target = out.get(0);
            double previous = pre.get(target).map(Telemetry::value).orElse(0.0);
            emit.put(target, t.atSameTime(target, previous + 1));
        }
    },
    /**
     * {@code output[0]} = the telemetry's value if it is above the current one (or there is none).
     */
    MAX {
        @Override
        void apply(TwinState pre, Telemetry t, List<Integer> out, Map<Integer, Telemetry> emit) {
            int target = out.get(0);
            Optional<Telemetry> current = pre.get(target);
            if (current.isEmpty() || t.value() > current.get().value()) {
                emit.put(target, t.atSameTime(target, t.value()));
            }
        }
    },
    /**
     * {@code output[0]} = the telemetry's value if it is below the current one (or there is none).
     */
    MIN {
        @Override
        void apply(TwinState pre, Telemetry t, List<Integer> out, Map<Integer, Telemetry> emit) {
            int target = out.get(0);
            Optional<Telemetry> current = pre.get(target);
            if (current.isEmpty() || t.value() < current.get().value()) {
                emit.put(target, t.atSameTime(target, t.value()));
            }
        }
    },
    /** Whole minutes since first seen; see {@link #duration}. */
    MINUTES_ACTIVE {
        @Override
        void apply(TwinState pre, Telemetry t, List<Integer> out, Map<Integer, Telemetry> emit) {
            duration(ChronoUnit.MINUTES, pre, t, out, emit);
        }
    },
    /** Whole hours since first seen; see {@link #duration}. */
    HOURS_ACTIVE {
        @Override
        void apply(TwinState pre, Telemetry t, List<Integer> out, Map<Integer, Telemetry> emit) {
            duration(ChronoUnit.HOURS, pre, t, out, emit);
        }
    },
    /** Whole days since first seen; see {@link #duration}. */
    DAYS_ACTIVE {
        @Override
        void apply(TwinState pre, Telemetry t, List<Integer> out, Map<Integer, Telemetry> emit) {
            duration(ChronoUnit.DAYS, pre, t, out, emit);
        }
    };

    /** Outputs each operator needs; with fewer the operator does nothing (as in the original). */
    int requiredOutputs() {
        return switch (this) {
            case COUNT, MAX, MIN -> 1;
            default -> 2;
        };
    }

    abstract void apply(
            TwinState pre, Telemetry t, List<Integer> out, Map<Integer, Telemetry> emit);

    /**
     * The built-in an implementation name denotes, case-insensitively ({@code Min} = {@code min}).
     */
    public static Optional<BuiltinOperator> forName(String implementation) {
        String wanted = implementation.trim().toUpperCase(Locale.ROOT);
        for (BuiltinOperator op : values()) {
            if (op.name().equals(wanted)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code output[1]} is the first-seen marker (value 1.0, datetime = first seen); {@code
     * output[0]} the whole units elapsed from first seen to the telemetry, written only when it
     * grows (or is missing).
     */
    private static void duration(
            ChronoUnit unit,
            TwinState pre,
            Telemetry t,
            List<Integer> out,
            Map<Integer, Telemetry> emit) {
        int elapsedIdx = out.get(0);
        int firstSeenIdx = out.get(1);
        Optional<Telemetry> firstSeen = pre.get(firstSeenIdx);
        if (firstSeen.isEmpty()) {
            emit.put(elapsedIdx, t.atSameTime(elapsedIdx, 0.0));
            emit.put(firstSeenIdx, t.atSameTime(firstSeenIdx, 1.0));
            return;
        }
        long elapsed = unit.between(firstSeen.get().datetime(), t.datetime());
        Optional<Telemetry> current = pre.get(elapsedIdx);
        if (current.isEmpty() || elapsed > current.get().value()) {
            emit.put(elapsedIdx, t.atSameTime(elapsedIdx, elapsed));
        }
    }
}
