package org.dtlab.connectors.kafka;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.model.event.RawRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaSourcesITCase {

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void everyRecordArrivesWithItsOriginAndBadOnesCarryADefect() throws Exception {
        String topic = "raw-" + System.nanoTime();
        KAFKA.createTopics(1, topic);
        KAFKA.send(topic, "machinery/m1", "{\"path\":\"machinery/m1\",\"idx\":0,\"value\":1}");
        byte[] large = new byte[300 * 1024];
        Arrays.fill(large, (byte) 'x');
        KAFKA.send(topic, "machinery/m1".getBytes(StandardCharsets.UTF_8), large);
        KAFKA.send(topic, null, new byte[] {(byte) 0xC3, (byte) 0x28});
        KAFKA.send(topic, "machinery/m1", null);

        KafkaOptions options = KafkaOptions.of(KAFKA.bootstrapServers());
        KafkaSource<RawRecord> source =
                KafkaSource.<RawRecord>builder()
                        .setBootstrapServers(options.bootstrapServers())
                        .setTopics(topic)
                        .setDeserializer(new RawRecordDeserializer(options.maxRecordBytes()))
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        List<RawRecord> records = new ArrayList<>();
        try (CloseableIterator<RawRecord> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka")
                        .executeAndCollect()) {
            it.forEachRemaining(records::add);
        }

        assertThat(records)
                .extracting(RawRecord::origin)
                .containsExactly(topic + "/0@0", topic + "/0@1", topic + "/0@2", topic + "/0@3");
        assertThat(records.get(0).defect()).isNull();
        assertThat(records.get(0).key()).isEqualTo("machinery/m1");
        assertThat(records.get(0).timestamp()).isPositive();
        assertThat(records.get(1).defect())
                .isEqualTo("record too large: 307200 bytes (limit 262144)");
        assertThat(records.get(1).payload()).hasSize(RawRecordDeserializer.DEFECT_PAYLOAD_BYTES);
        assertThat(records.get(2).defect()).isEqualTo("record is not UTF-8 text");
        assertThat(records.get(3).payload()).isNull();
    }
}
