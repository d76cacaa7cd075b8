package org.dtlab.job.runtime;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
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
import org.dtlab.model.telemetry.Contribution;
import org.dtlab.model.telemetry.TwinMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwinInputSerializerTest {

    static final Instant T0 = Instant.parse("2020-09-13T15:31:21.671Z");

    static final OperatorSpec FULL_OPERATOR =
            new OperatorSpec(
                    "hot",
                    "alarm",
                    List.of(1.5, -2.0),
                    List.of(0, 3),
                    List.of(4),
                    Instant.parse("2026-01-02T03:04:05.123456789Z"),
                    "temperature * 1.8 + 32",
                    "temperature > 50.0",
                    "temperature < 45.0",
                    "PT5M",
                    "major",
                    "avg",
                    "PT1H");

    /** Every shape a TwinInput takes in the job, and the odd corners of each field. */
    static TwinInput[] shapes() {
        String path = "building/b1/machinery/m1";
        String origin = "dtlab.observations/3@1234567";
        Contribution contribution =
                new Contribution(
                        "building/b1",
                        path,
                        42,
                        T0,
                        List.of(
                                new Contribution.Value("avg_temp", 0x9E3779B9, 21.5),
                                new Contribution.Value("hot_count", -7, 1.0)));
        return new TwinInput[] {
            new TwinInput(path, origin, TwinMessage.telemetry(path, 0, 5.5, T0)),
            new TwinInput(path, "archive", TwinMessage.telemetry(path, 7, -0.0, T0)),
            new TwinInput(path, origin, TwinMessage.namedTelemetry(path, "height", 1e300, T0)),
            new TwinInput(path, origin, TwinMessage.telemetry(path, 0, 5.5, T0).validatedAt(17)),
            new TwinInput(
                    path,
                    origin,
                    TwinMessage.namedTelemetry(path, "höhe ✓ 𝄞", 2, T0).validatedAt(0)),
            // the message's own spelling of the path, as the client sent it
            new TwinInput(path, origin, TwinMessage.telemetry(path + "/", 1, 3, T0)),
            new TwinInput(path, origin, TwinMessage.putOperator(path, FULL_OPERATOR, T0)),
            new TwinInput(
                    path,
                    origin,
                    TwinMessage.putOperator(
                            path,
                            new OperatorSpec("count", "count", null, List.of(0), List.of(1), null),
                            T0)),
            new TwinInput(path, origin, TwinMessage.deleteOperators(path, T0)),
            new TwinInput(path, origin, TwinMessage.deleteOperators(path, null)),
            TwinInput.of(contribution),
            TwinInput.of(contribution).heldAt(1_700_000_000_123L),
            new TwinInput(path, origin, TwinMessage.telemetry(path, 0, 1, T0)).heldAt(-1),
            new TwinInput(
                    "other/parent",
                    null,
                    null,
                    new Contribution("building/b1", "c", -1, null, List.of()),
                    0),
            // instants: sub-millisecond, before 1970, and far outside years 1-9999
            new TwinInput(
                    path,
                    origin,
                    TwinMessage.telemetry(
                            path, 0, 1, Instant.parse("2020-09-13T15:31:21.000000001Z"))),
            new TwinInput(
                    path, origin, TwinMessage.telemetry(path, 0, 1, Instant.ofEpochMilli(-1))),
            new TwinInput(path, origin, TwinMessage.telemetry(path, 0, 1, Instant.MAX)),
            new TwinInput(path, origin, TwinMessage.telemetry(path, 0, 1, Instant.MIN)),
            new TwinInput(
                    path,
                    origin,
                    TwinMessage.telemetry(
                            path, Integer.MIN_VALUE, 1, Instant.ofEpochSecond(-62_135_596_801L))),
            new TwinInput(null, null, null, null, 0),
        };
    }

    private final TwinInputSerializer serializer = TwinInputSerializer.INSTANCE;

    @Test
    void everyShapeSurvivesARoundTrip() throws IOException {
        for (TwinInput input : shapes()) {
            assertThat(roundTrip(input)).as(input.toString()).isEqualTo(input);
        }
    }

    @Test
    void aSequenceReadsBackInOrder() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (TwinInput input : shapes()) {
            serializer.serialize(input, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (TwinInput input : shapes()) {
            assertThat(serializer.deserialize(in)).isEqualTo(input);
        }
        assertThat(in.available()).isZero();
    }

    /**
     * A component added to one of these records must be written by the serializer too (and the
     * format version bumped): the canonical constructors it calls catch most additions at compile
     * time, this the rest.
     */
    @Test
    void theFormatCoversEveryRecordComponent() {
        assertThat(components(TwinInput.class))
                .containsExactly("path", "origin", "message", "contribution", "heldSince");
        assertThat(components(TwinMessage.class))
                .containsExactly(
                        "path",
                        "command",
                        "idx",
                        "name",
                        "value",
                        "datetime",
                        "operator",
                        "controlVersion");
        assertThat(TwinMessage.Command.values()).hasSizeLessThanOrEqualTo(4); // two header bits
        assertThat(components(Contribution.class))
                .containsExactly("parent", "child", "childVersion", "datetime", "values");
        assertThat(components(Contribution.Value.class))
                .containsExactly("rollup", "definition", "value");
        assertThat(components(OperatorSpec.class))
                .containsExactly(
                        "name",
                        "implementation",
                        "params",
                        "input",
                        "output",
                        "created",
                        "expr",
                        "when",
                        "clear",
                        "forDuration",
                        "severity",
                        "agg",
                        "size");
    }

    private static List<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    @Test
    void copiesAreTheInstanceItselfAndTheStreamCopyIsExact() throws IOException {
        for (TwinInput input : shapes()) {
            assertThat(serializer.copy(input)).isSameAs(input);
            assertThat(serializer.copy(input, serializer.createInstance())).isSameAs(input);
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer.serialize(input, out);
            DataOutputSerializer copied = new DataOutputSerializer(64);
            serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
            assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        }
    }

    @Test
    void aTelemetryTakesLittleMoreThanHalfThePojoSerializersBytes() throws IOException {
        String path = "device/d00042";
        TwinInput telemetry =
                new TwinInput(
                        path,
                        "dtlab.observations/3@1234567",
                        TwinMessage.telemetry(path, 0, 1, T0));
        TwinInput archived = new TwinInput(path, "archive", TwinMessage.telemetry(path, 0, 1, T0));
        TypeSerializer<TwinInput> pojo =
                pojoTypeInfo().createSerializer(new SerializerConfigImpl());

        // header 1, path 14, origin 29, message flags 1, idx 1, name 1, value 8, datetime 8
        assertThat(bytes(serializer, telemetry)).isEqualTo(63);
        assertThat(bytes(serializer, archived)).isEqualTo(34);
        // Flink 2.2.1's POJO serializer: 108 and 87 bytes
        assertThat(bytes(pojo, telemetry)).isGreaterThan(63 * 3 / 2);
        assertThat(bytes(pojo, archived)).isGreaterThan(34 * 2);
    }

    @Test
    void theTypeExtractorPicksTheSerializerUpEverywhere() {
        assertThat(TypeInformation.of(TwinInput.class)).isSameAs(TwinInputTypeInfo.INSTANCE);
        assertThat(TwinInputTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl()))
                .isSameAs(TwinInputSerializer.INSTANCE);
        // the twin operator's state, as the runtime initializes it
        TwinFunction.HELD_BACK.initializeSerializerUnlessSet(new ExecutionConfig());
        TwinFunction.PENDING.initializeSerializerUnlessSet(new ExecutionConfig());
        assertThat(TwinFunction.HELD_BACK.getElementSerializer())
                .isSameAs(TwinInputSerializer.INSTANCE);
        assertThat(
                        ((ListSerializer<TwinInput>) TwinFunction.PENDING.getValueSerializer())
                                .getElementSerializer())
                .isSameAs(TwinInputSerializer.INSTANCE);
    }

    @Test
    void theSnapshotRestoresTheSerializerAndIsCompatibleWithItself() throws IOException {
        TypeSerializerSnapshot<TwinInput> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);

        TypeSerializerSnapshot<TwinInput> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());

        assertThat(read).isEqualTo(snapshot);
        assertThat(((TwinInputSerializerSnapshot) read).version()).isEqualTo(1);
        assertThat(read.restoreSerializer()).isSameAs(serializer);
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(read)
                                .isCompatibleAsIs())
                .isTrue();
    }

    @Test
    void aSnapshotOfAnUnknownFormatIsRefused() {
        DataOutputSerializer out = new DataOutputSerializer(64);
        assertThatThrownBy(
                        () ->
                                new TwinInputSerializerSnapshot()
                                        .readSnapshot(
                                                2,
                                                new DataInputDeserializer(out.getCopyOfBuffer()),
                                                getClass().getClassLoader()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("format 2");
    }

    @Test
    void thePojoSerializersSnapshotMigratesAndOthersAreIncompatible() {
        TwinInputSerializerSnapshot current = new TwinInputSerializerSnapshot();
        TypeSerializerSnapshot<TwinInput> pojo =
                pojoTypeInfo().createSerializer(new SerializerConfigImpl()).snapshotConfiguration();
        @SuppressWarnings("unchecked")
        TypeSerializerSnapshot<TwinInput> string =
                (TypeSerializerSnapshot<TwinInput>)
                        (TypeSerializerSnapshot<?>)
                                Types.STRING
                                        .createSerializer(new SerializerConfigImpl())
                                        .snapshotConfiguration();

        TypeSerializerSchemaCompatibility<TwinInput> fromPojo =
                current.resolveSchemaCompatibility(pojo);
        assertThat(fromPojo.isCompatibleAfterMigration()).isTrue();
        assertThat(current.resolveSchemaCompatibility(string).isIncompatible()).isTrue();
    }

    /**
     * A savepoint taken while Flink's POJO serializer wrote TwinInputs (the job before this
     * serializer) restores: Flink migrates the held-back and pending state to the new format.
     */
    @ParameterizedTest(name = "rocksDb={0}")
    @ValueSource(booleans = {false, true})
    void statePojoSerializedBeforeRestoresWithTheNewSerializer(boolean rocksDb) throws Exception {
        List<TwinInput> written = new ArrayList<>();
        for (TwinInput input : shapes()) {
            if (input.path() != null && hasTimestamp(input)) {
                written.add(input);
            }
        }
        OperatorSubtaskState savepoint;
        try (var before = harness(pojoTypeInfo(), rocksDb, null)) {
            before.open();
            for (TwinInput input : written) {
                before.processElement(input, 0);
            }
            savepoint = before.snapshot(1L, 1L);
        }
        try (var after = harness(TypeInformation.of(TwinInput.class), rocksDb, savepoint)) {
            after.open();
            for (TwinInput input : written) {
                after.processElement(new TwinInput(input.path(), "read", null, null, 0), 0);
            }
            List<TwinInput> read = new ArrayList<>(after.extractOutputValues());
            // each key reports its held-back inputs, then its pending ones: the written inputs,
            // once per input of the key read back (once per "read" record)
            List<TwinInput> expected = new ArrayList<>();
            for (TwinInput input : written) {
                for (TwinInput same : written) {
                    if (same.path().equals(input.path())) {
                        expected.add(same);
                    }
                }
                for (TwinInput same : written) {
                    if (same.path().equals(input.path())) {
                        expected.add(same);
                    }
                }
            }
            assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TwinInput, TwinInput> harness(
            TypeInformation<TwinInput> type, boolean rocksDb, OperatorSubtaskState restore)
            throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Keeper(type)),
                        TwinInput::path,
                        Types.STRING);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (restore != null) {
            harness.initializeState(restore);
        }
        return harness;
    }

    /**
     * Keeps every input in a list state and in a map state of lists, as TwinFunction's held-back
     * and pending inputs; an input of origin "read" emits what its key keeps instead.
     */
    private static final class Keeper extends KeyedProcessFunction<String, TwinInput, TwinInput> {
        private static final long serialVersionUID = 1L;
        private final TypeInformation<TwinInput> type;
        private transient ListState<TwinInput> held;
        private transient MapState<Long, List<TwinInput>> pending;

        Keeper(TypeInformation<TwinInput> type) {
            this.type = type;
        }

        @Override
        public void open(OpenContext context) {
            held = getRuntimeContext().getListState(new ListStateDescriptor<>("held", type));
            pending =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            "pending", Types.LONG, new ListTypeInfo<>(type)));
        }

        @Override
        public void processElement(TwinInput input, Context ctx, Collector<TwinInput> out)
                throws Exception {
            if ("read".equals(input.origin())) {
                held.get().forEach(out::collect);
                for (List<TwinInput> inputs : pending.values()) {
                    inputs.forEach(out::collect);
                }
                return;
            }
            held.add(input);
            long time = input.timestamp();
            List<TwinInput> atTime = new ArrayList<>();
            if (pending.contains(time)) {
                atTime.addAll(pending.get(time));
            }
            atTime.add(input);
            pending.put(time, atTime);
        }
    }

    /** The type information Flink derived for TwinInput before it had its own. */
    static PojoTypeInfo<TwinInput> pojoTypeInfo() {
        return (PojoTypeInfo<TwinInput>)
                Types.POJO(
                        TwinInput.class,
                        Map.of(
                                "path", Types.STRING,
                                "origin", Types.STRING,
                                "message", TypeInformation.of(TwinMessage.class),
                                "contribution", TypeInformation.of(Contribution.class),
                                "heldSince", Types.LONG));
    }

    /** Whether the input has an event time in epoch milliseconds, as state keeps them by it. */
    private static boolean hasTimestamp(TwinInput input) {
        try {
            input.timestamp();
            return true;
        } catch (NullPointerException | ArithmeticException e) {
            return false;
        }
    }

    private TwinInput roundTrip(TwinInput input) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(input, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        TwinInput read = serializer.deserialize(in);
        assertThat(in.available()).as("bytes left over").isZero();
        return read;
    }

    private static int bytes(TypeSerializer<TwinInput> serializer, TwinInput input)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(input, out);
        return out.length();
    }
}
