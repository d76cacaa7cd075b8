package org.dtlab.model.logic;

import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.model.telemetry.TwinPath;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A type {@code t} with props {@code p0…p9} and a twin {@code t/one} of it, for the machine's
 * tests.
 */
final class TestTwins {

    static final TwinPath TWIN = TwinPath.parse("t/one");
    static final List<String> PROPS = IntStream.range(0, 10).mapToObj(i -> "p" + i).toList();

    private TestTwins() {}

    static Registry registry(List<OperatorSpec> ops) {
        return registry(PROPS, ops);
    }

    static Registry registry(List<String> props, List<OperatorSpec> ops) {
        TwinType type = new TwinType("t", props, List.of(), ops, null);
        Registry.Applied applied =
                Registry.empty().apply(ControlMessage.createType("id", Instant.EPOCH, type));
        if (!applied.isApplied()) {
            throw new IllegalArgumentException(applied.reason());
        }
        return applied.registry();
    }

    static CompiledType type(List<OperatorSpec> ops) {
        return registry(ops).compiledType("t").orElseThrow();
    }

    static Outcome telemetry(
            Registry registry, TwinState state, int idx, double value, Instant at) {
        return TwinMachine.onMessage(
                registry, TWIN, state, TwinMessage.telemetry(TWIN.toString(), idx, value, at));
    }
}
