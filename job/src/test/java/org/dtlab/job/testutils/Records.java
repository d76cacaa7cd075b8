package org.dtlab.job.testutils;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.json.Json;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.telemetry.TwinMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToDoubleFunction;

/** Factories for the raw records the pipeline reads, as producers would write them. */
public final class Records {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00.000Z");

    private static final AtomicLong OFFSETS = new AtomicLong();

    private Records() {}

    public static RawRecord control(ControlMessage message) {
        return raw("dtlab.control", message.key(), json(message));
    }

    public static RawRecord createType(
            String name, List<String> props, List<String> children, List<OperatorSpec> ops) {
        return control(
                ControlMessage.createType(
                        "create-" + name, T0, new TwinType(name, props, children, ops, null)));
    }

    public static RawRecord deleteType(String name) {
        return control(ControlMessage.delete("delete-" + name, T0, ControlMessage.Kind.TYPE, name));
    }

    public static RawRecord observation(TwinMessage message) {
        return raw("dtlab.observations", message.path(), json(message));
    }

    public static RawRecord telemetry(String path, int idx, double value, Instant at) {
        return observation(TwinMessage.telemetry(path, idx, value, at));
    }

    public static OperatorSpec op(String name, String impl, List<Integer> in, List<Integer> out) {
        return new OperatorSpec(name, impl, null, in, out, null);
    }

    public static RawRecord raw(String topic, String key, String payload) {
        long offset = OFFSETS.getAndIncrement();
        return RawRecord.of(topic + "/0@" + offset, key, payload, T0.toEpochMilli() + offset);
    }

    public static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * One telemetry on idx 0 from each of the twins {@code machinery/m0} … {@code m<twins-1>}, at
     * {@link #T0} plus {@code second} seconds, keyed by path as a producer sends them.
     */
    public static List<Map.Entry<String, String>> machineryRound(
            int twins, int second, IntToDoubleFunction valueOfTwin) {
        List<Map.Entry<String, String>> records = new ArrayList<>(twins);
        for (int t = 0; t < twins; t++) {
            String path = "machinery/m" + t;
            records.add(
                    Map.entry(
                            path,
                            json(
                                    TwinMessage.telemetry(
                                            path,
                                            0,
                                            valueOfTwin.applyAsDouble(t),
                                            T0.plusSeconds(second)))));
        }
        return records;
    }
}
