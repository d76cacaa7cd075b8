package org.dtlab.model.logic;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A parent twin's record of the latest value each child contributed to each of its roll-ups. It
 * grows with the children (up to {@link Rollup#MAX_CHILDREN} per roll-up), so the twin job keeps it
 * in keyed map state beside the twin's state, where one child's update touches one entry.
 */
public interface ChildValues {

    /**
     * A child's value for a roll-up, and the hash of the roll-up definition it was computed under.
     */
    record Value(int definition, double value) {}

    /** The value {@code child} last contributed to {@code rollup}, or {@code null}. */
    Value get(String rollup, String child);

    void put(String rollup, String child, Value value);

    /** Every child's value for {@code rollup}, in no particular order. */
    void forEach(String rollup, BiConsumer<String, Value> action);

    /** A new, empty record in memory: for tests and for the model-based reference of a run. */
    static ChildValues inMemory() {
        return new ChildValues() {
            private final Map<String, Map<String, Value>> values = new HashMap<>();

            @Override
            public Value get(String rollup, String child) {
                Map<String, Value> byChild = values.get(rollup);
                return byChild == null ? null : byChild.get(child);
            }

            @Override
            public void put(String rollup, String child, Value value) {
                values.computeIfAbsent(rollup, r -> new HashMap<>()).put(child, value);
            }

            @Override
            public void forEach(String rollup, BiConsumer<String, Value> action) {
                values.getOrDefault(rollup, Map.of()).forEach(action);
            }
        };
    }
}
