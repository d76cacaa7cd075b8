package org.dtlab.job.runtime;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;

import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.telemetry.Contribution;
import org.dtlab.model.telemetry.TwinMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flink's serializer test suite (round trips, copies, snapshots and restores, duplicates,
 * concurrent use) over every shape of the keyed record.
 */
class TwinInputSerializerTest extends SerializerTestBase<TwinInput> {

    private static final Instant T = Instant.parse("2026-11-29T10:15:30.123Z");

    @Override
    protected TypeSerializer<TwinInput> createSerializer() {
        return TwinInputSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<TwinInput> getTypeClass() {
        return TwinInput.class;
    }

    @Override
    protected TwinInput[] getTestData() {
        OperatorSpec counter = new OperatorSpec("n", "count", List.of(), List.of(0), List.of(1), T);
        return new TwinInput[] {
            new TwinInput(
                    "machinery/m1",
                    "dtlab.observations/3@17",
                    TwinMessage.telemetry("machinery/m1", 0, 5.5, T)),
            new TwinInput(
                    "machinery/m1",
                    "archive",
                    TwinMessage.namedTelemetry("machinery/m1", "höhe", -0.0, T)),
            new TwinInput(
                    "machinery/m1",
                    "o",
                    TwinMessage.telemetry("/machinery/m1/", 2, 1e300, T),
                    null,
                    1234),
            new TwinInput(
                    "machinery/m1",
                    "o",
                    TwinMessage.telemetry("machinery/m1", 1, 1, T).validatedAt(42)),
            new TwinInput(
                    "machinery/m1",
                    "o",
                    new TwinMessage("machinery/m1", null, 0, null, 1.0, null, null, null)),
            new TwinInput(
                    "machinery/m1", null, TwinMessage.putOperator("machinery/m1", counter, T)),
            new TwinInput(
                    "machinery/m1",
                    "o",
                    TwinMessage.deleteOperators(
                            "machinery/m1", Instant.ofEpochSecond(-62135596800L))),
            TwinInput.of(
                    new Contribution(
                            "building/b1",
                            "building/b1/floor/f1",
                            7,
                            T,
                            List.of(
                                    new Contribution.Value("avg_temp", 31, 21.5),
                                    new Contribution.Value("n", -1, 3)))),
            new TwinInput(
                    "building/b1",
                    "rollup",
                    null,
                    new Contribution("building/b2", "building/b2/floor/f1", 1, T, List.of()),
                    99),
        };
    }

    @Test
    void stateWrittenByFlinksRecordSerializerIsMigrated() {
        TypeSerializerSnapshot<TwinInput> reflective =
                new PojoTypeInfo<>(TwinInput.class, List.of())
                        .createSerializer(new SerializerConfigImpl())
                        .snapshotConfiguration();

        assertThat(
                        new TwinInputSerializer.Snapshot()
                                .resolveSchemaCompatibility(reflective)
                                .isCompatibleAfterMigration())
                .isTrue();
        assertThat(
                        new TwinInputSerializer.Snapshot()
                                .resolveSchemaCompatibility(
                                        TwinInputSerializer.INSTANCE.snapshotConfiguration())
                                .isCompatibleAsIs())
                .isTrue();
    }

    @Test
    void flinkFindsThisSerializerThroughTheAnnotation() {
        assertThat(TypeInformation.of(TwinInput.class)).isInstanceOf(TwinInputTypeInfo.class);
    }
}
