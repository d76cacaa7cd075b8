package org.dtlab.job.runtime;

import org.apache.flink.api.common.state.MapState;

import org.dtlab.model.logic.ChildValues;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A parent twin's {@link ChildValues} in keyed map state (of the current key): one entry per
 * roll-up and child, so a child's report reads and writes one entry, however many children there
 * are.
 */
final class MapStateChildValues implements ChildValues {

    /** Separates the roll-up from the child path in a key: neither can contain a line break. */
    private static final char SEPARATOR = '\n';

    private final MapState<String, Value> state;

    MapStateChildValues(MapState<String, Value> state) {
        this.state = state;
    }

    @Override
    public Value get(String rollup, String child) {
        try {
            return state.get(rollup + SEPARATOR + child);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read roll-up state", e);
        }
    }

    @Override
    public void put(String rollup, String child, Value value) {
        try {
            state.put(rollup + SEPARATOR + child, value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write roll-up state", e);
        }
    }

    @Override
    public void forEach(String rollup, BiConsumer<String, Value> action) {
        String prefix = rollup + SEPARATOR;
        try {
            for (Map.Entry<String, Value> e : state.entries()) {
                if (e.getKey().startsWith(prefix)) {
                    action.accept(e.getKey().substring(prefix.length()), e.getValue());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read roll-up state", e);
        }
    }
}
