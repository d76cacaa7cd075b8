package org.dtlab.connectors.kafka;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.dtlab.model.event.RawRecord;

/** The twin job's two Kafka sources. Offsets live in Flink's checkpoints. */
public final class KafkaSources {

    private KafkaSources() {}

    /**
     * The observation topic, from the group's committed offsets (the earliest when there are none).
     * After a restore the checkpointed offsets win.
     */
    @SuppressWarnings("deprecation") // the connector's API still takes the kafka-clients enum
    public static KafkaSource<RawRecord> observations(KafkaOptions options) {
        return builder(options, options.observationsTopic())
                .setGroupId(options.groupId())
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .build();
    }

    /**
     * The control topic, always from the beginning on a fresh start: every spec ever applied is
     * replayed into the registry (the topic is compacted, so this stays small).
     */
    public static KafkaSource<RawRecord> control(KafkaOptions options) {
        return builder(options, options.controlTopic())
                .setGroupId(options.groupId() + "-control")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .build();
    }

    private static org.apache.flink.connector.kafka.source.KafkaSourceBuilder<RawRecord> builder(
            KafkaOptions options, String topic) {
        var builder =
                KafkaSource.<RawRecord>builder()
                        .setBootstrapServers(options.bootstrapServers())
                        .setTopics(topic)
                        .setDeserializer(new RawRecordDeserializer(options.maxRecordBytes()))
                        .setClientIdPrefix("dtlab-" + topic);
        options.properties().forEach(builder::setProperty);
        return builder;
    }
}
