package org.dtlab.connectors.kafka;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

import org.dtlab.model.event.RawRecord;

/** The twin job's two Kafka sources. Offsets live in Flink's checkpoints. */
public final class KafkaSources {

    private KafkaSources() {}

    /**
     * The observation topic, from the beginning on a fresh start; after a restore the checkpointed
     * offsets win. Never from the group's committed offsets: the twins' state comes only from a
     * checkpoint, and offsets must come from the same one. A job restored from an older checkpoint
     * (or one taken before the source had found its partitions) would otherwise start a partition
     * at offsets a later checkpoint committed: the observations in between were never applied to
     * the restored state, and the versions after them collided with journal rows already written
     * (decision 40).
     */
    public static KafkaSource<RawRecord> observations(KafkaOptions options) {
        return builder(options, options.observationsTopic())
                .setGroupId(options.groupId())
                .setStartingOffsets(OffsetsInitializer.earliest())
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
