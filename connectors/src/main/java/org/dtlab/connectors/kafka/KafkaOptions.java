package org.dtlab.connectors.kafka;

import org.dtlab.model.config.ConnectionSettings;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * Where the twin job reads from Kafka.
 *
 * @param bootstrapServers {@code host:port[,host:port…]}
 * @param observationsTopic the keyed topic of telemetry and per-twin commands
 * @param controlTopic the compacted topic of specs
 * @param groupId the consumer group of the observation source (offsets are committed on
 *     checkpoints, for monitoring; the job itself restores offsets from its checkpoints)
 * @param maxRecordBytes larger records are rejected instead of parsed
 * @param properties further consumer properties (security, timeouts …), passed through
 */
public record KafkaOptions(
        String bootstrapServers,
        String observationsTopic,
        String controlTopic,
        String groupId,
        int maxRecordBytes,
        Map<String, String> properties)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_OBSERVATIONS_TOPIC =
            ConnectionSettings.KAFKA_OBSERVATIONS_TOPIC.defaultValue();
    public static final String DEFAULT_CONTROL_TOPIC =
            ConnectionSettings.KAFKA_CONTROL_TOPIC.defaultValue();
    public static final String DEFAULT_GROUP_ID = "dtlab-twin-job";
    public static final int DEFAULT_MAX_RECORD_BYTES =
            ConnectionSettings.KAFKA_MAX_RECORD_BYTES.defaultValue();

    public KafkaOptions {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(observationsTopic, "observationsTopic");
        Objects.requireNonNull(controlTopic, "controlTopic");
        Objects.requireNonNull(groupId, "groupId");
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive");
        }
        properties = Map.copyOf(properties);
    }

    /** The default topics, group {@code dtlab-twin-job} and records up to 256 KiB. */
    public static KafkaOptions of(String bootstrapServers) {
        return new KafkaOptions(
                bootstrapServers,
                DEFAULT_OBSERVATIONS_TOPIC,
                DEFAULT_CONTROL_TOPIC,
                DEFAULT_GROUP_ID,
                DEFAULT_MAX_RECORD_BYTES,
                Map.of());
    }
}
