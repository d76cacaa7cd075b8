package org.dtlab.job.runtime;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;

import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.state.OperatorMemory;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Telemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwinStateSerializerTest {

    private static final Instant T0 = TwinInputSerializerTest.T0;

    /** Every shape a twin's state takes, and the odd corners of each field. */
    static TwinState[] shapes() {
        List<Telemetry> properties =
                List.of(
                        new Telemetry(
                                Integer.MIN_VALUE, -0.0, Instant.parse("-9999-01-01T00:00:00Z")),
                        new Telemetry(-1, Double.NaN, Instant.ofEpochMilli(-1)),
                        new Telemetry(0, 5.5, T0),
                        new Telemetry(1, 1e300, Instant.parse("2020-09-13T15:31:21.000000001Z")),
                        new Telemetry(
                                7,
                                Double.NEGATIVE_INFINITY,
                                Instant.parse("9999-12-31T23:59:59.999999999Z")),
                        new Telemetry(
                                Integer.MAX_VALUE, 2, Instant.ofEpochSecond(-62_135_596_801L)));
        OperatorSpec count = new OperatorSpec("count", "count", null, List.of(0), List.of(1), null);
        List<OperatorMemory> memory =
                List.of(
                        new OperatorMemory(
                                "hot", "alarm PT5M", OperatorMemory.NO_DEADLINE, new double[0]),
                        new OperatorMemory(
                                "hourly",
                                "window avg PT1H",
                                1_700_000_000_123L,
                                new double[] {1, -0.0, Double.NaN, Double.MAX_VALUE}),
                        new OperatorMemory("ünïcode ✓ 𝄞", "", Long.MIN_VALUE, new double[] {3}));
        return new TwinState[] {
            TwinState.EMPTY,
            new TwinState(1, 1, List.of(new Telemetry(0, 5.5, T0)), List.of(), List.of()),
            new TwinState(Long.MAX_VALUE, Long.MAX_VALUE, properties, List.of(), List.of()),
            new TwinState(
                    3,
                    9,
                    properties,
                    List.of(TwinInputSerializerTest.FULL_OPERATOR, count),
                    memory),
            new TwinState(-1, -2, List.of(), List.of(count), null),
        };
    }

    private final TwinStateSerializer serializer = TwinStateSerializer.INSTANCE;

    @Test
    void everyShapeSurvivesARoundTrip() throws IOException {
        for (TwinState state : shapes()) {
            assertThat(roundTrip(state)).as(state.toString()).isEqualTo(state);
        }
    }

    @Test
    void aSequenceReadsBackInOrder() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (TwinState state : shapes()) {
            serializer.serialize(state, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (TwinState state : shapes()) {
            assertThat(serializer.deserialize(in)).isEqualTo(state);
        }
        assertThat(in.available()).isZero();
    }

    /**
     * A component added to one of these records must be written by the serializer too (and the
     * format version bumped); {@code OperatorSpec}'s are checked with {@code TwinInput}'s.
     */
    @Test
    void theFormatCoversEveryRecordComponent() {
        assertThat(components(TwinState.class))
                .containsExactly("sequence", "version", "properties", "operators", "memory");
        // The two numbers of a datetime, written as one (the format of before they were numbers).
        assertThat(components(Telemetry.class))
                .containsExactly("idx", "value", "epochSecond", "nano");
        assertThat(components(OperatorMemory.class))
                .containsExactly("operator", "definition", "deadline", "values");
    }

    @Test
    void copiesAreTheInstanceItselfAndTheStreamCopyIsExact() throws IOException {
        for (TwinState state : shapes()) {
            assertThat(serializer.copy(state)).isSameAs(state);
            assertThat(serializer.copy(state, serializer.createInstance())).isSameAs(state);
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer.serialize(state, out);
            DataOutputSerializer copied = new DataOutputSerializer(64);
            serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
            assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        }
    }

    @Test
    void aTypicalStateTakesHalfThePojoSerializersBytes() throws IOException {
        // the benchmark's twin: four properties, three operators of the type (not the twin's)
        TwinState typical =
                new TwinState(
                        12,
                        12,
                        List.of(
                                new Telemetry(0, 21.5, T0),
                                new Telemetry(1, 12, T0),
                                new Telemetry(2, 3.5, T0),
                                new Telemetry(3, 40.25, T0)),
                        List.of(),
                        List.of());
        TypeSerializer<TwinState> pojo =
                pojoTypeInfo().createSerializer(new SerializerConfigImpl());

        // sequence 1, version 1, count 1, 4 x (idx 1, value 8, millis flag 1, datetime 8), 1, 1
        assertThat(bytes(serializer, typical)).isEqualTo(77);
        // Flink 2.2.1's POJO serializer: 153 bytes
        assertThat(bytes(pojo, typical)).isGreaterThan(77 * 19 / 10);
    }

    @Test
    void theTwinOperatorsStateUsesIt() {
        TwinFunction.TWIN_STATE.initializeSerializerUnlessSet(new ExecutionConfig());
        assertThat(TwinFunction.TWIN_STATE.getSerializer()).isSameAs(serializer);
    }

    @Test
    void theSnapshotRestoresTheSerializerAndIsCompatibleWithItself() throws IOException {
        TypeSerializerSnapshot<TwinState> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);

        TypeSerializerSnapshot<TwinState> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());

        assertThat(read).isEqualTo(snapshot).isInstanceOf(TwinStateSerializerSnapshot.class);
        assertThat(((TwinStateSerializerSnapshot) read).version()).isEqualTo(1);
        assertThat(read.restoreSerializer()).isSameAs(serializer);
        assertThat(snapshot.resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
    }

    @Test
    void aSnapshotOfAnUnknownFormatIsRefused() {
        DataOutputSerializer out = new DataOutputSerializer(64);
        assertThatThrownBy(
                        () ->
                                new TwinStateSerializerSnapshot()
                                        .readSnapshot(
                                                2,
                                                new DataInputDeserializer(out.getCopyOfBuffer()),
                                                getClass().getClassLoader()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("TwinState serializer format 2");
    }

    @Test
    void thePojoSerializersSnapshotMigratesAndOthersAreIncompatible() {
        TwinStateSerializerSnapshot current = new TwinStateSerializerSnapshot();
        TypeSerializerSnapshot<TwinState> pojo =
                pojoTypeInfo().createSerializer(new SerializerConfigImpl()).snapshotConfiguration();
        @SuppressWarnings("unchecked")
        TypeSerializerSnapshot<TwinState> input =
                (TypeSerializerSnapshot<TwinState>)
                        (TypeSerializerSnapshot<?>) new TwinInputSerializerSnapshot();

        assertThat(current.resolveSchemaCompatibility(pojo).isCompatibleAfterMigration()).isTrue();
        assertThat(current.resolveSchemaCompatibility(input).isIncompatible()).isTrue();
    }

    /**
     * A savepoint taken while Flink's POJO serializer wrote the twins' state (every job before this
     * serializer) restores: Flink migrates the state to the new format.
     */
    @ParameterizedTest(name = "rocksDb={0}")
    @ValueSource(booleans = {false, true})
    void statePojoSerializedBeforeRestoresWithTheNewSerializer(boolean rocksDb) throws Exception {
        TwinState[] states = shapes();
        OperatorSubtaskState savepoint;
        try (var before = harness(pojoTypeInfo(), rocksDb, null)) {
            before.open();
            for (int i = 0; i < states.length; i++) {
                before.processElement(new Keeper.Put("twin" + i, states[i]), 0);
            }
            savepoint = before.snapshot(1L, 1L);
        }
        try (var after = harness(TwinStateSerializer.TYPE, rocksDb, savepoint)) {
            after.open();
            for (int i = 0; i < states.length; i++) {
                after.processElement(new Keeper.Put("twin" + i, null), 0);
            }
            assertThat(new ArrayList<>(after.extractOutputValues())).containsExactly(states);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Keeper.Put, TwinState> harness(
            TypeInformation<TwinState> type, boolean rocksDb, OperatorSubtaskState restore)
            throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Keeper(type)),
                        Keeper.Put::twin,
                        Types.STRING);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (restore != null) {
            harness.initializeState(restore);
        }
        return harness;
    }

    /** Keeps a twin's state as TwinFunction does; a put without a state emits what is kept. */
    private static final class Keeper extends KeyedProcessFunction<String, Keeper.Put, TwinState> {
        private static final long serialVersionUID = 1L;
        private final TypeInformation<TwinState> type;
        private transient ValueState<TwinState> state;

        record Put(String twin, TwinState state) {}

        Keeper(TypeInformation<TwinState> type) {
            this.type = type;
        }

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(new ValueStateDescriptor<>("dtlab-twin", type));
        }

        @Override
        public void processElement(Put put, Context ctx, Collector<TwinState> out)
                throws Exception {
            if (put.state() == null) {
                out.collect(state.value());
            } else {
                state.update(put.state());
            }
        }
    }

    /** The type information Flink derived for the twin's state before it had its own. */
    @SuppressWarnings("unchecked")
    static PojoTypeInfo<TwinState> pojoTypeInfo() {
        return (PojoTypeInfo<TwinState>) TypeInformation.of(TwinState.class);
    }

    private static List<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    private TwinState roundTrip(TwinState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(state, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        TwinState read = serializer.deserialize(in);
        assertThat(in.available()).as("bytes left over").isZero();
        return read;
    }

    private static int bytes(TypeSerializer<TwinState> serializer, TwinState state)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(state, out);
        return out.length();
    }
}
