package org.dtlab.query.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.json.Json;
import org.dtlab.model.telemetry.TwinMessage;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Writes the API's actions to Kafka: control messages to the control topic (key {@code kind/name}),
 * telemetry and per-twin commands to the observation topic (key = twin path). Idempotent producer,
 * {@code acks=all}: a write is confirmed once it is durable, and only then does the API answer.
 */
public final class Publisher implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final String observationsTopic;
    private final String controlTopic;

    public Publisher(String bootstrapServers, String observationsTopic, String controlTopic) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        this.observationsTopic = observationsTopic;
        this.controlTopic = controlTopic;
    }

    /**
     * Creates the topics if they are missing: the control topic compacted with one partition (its
     * order is the registry's order), the observation topic with {@code partitions}.
     */
    public static void createTopics(String bootstrapServers, String observationsTopic, String controlTopic, int partitions)
            throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> topics = List.of(
                    new NewTopic(controlTopic, 1, (short) -1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(observationsTopic, partitions, (short) -1));
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    public CompletableFuture<RecordMetadata> control(ControlMessage message) {
        return send(controlTopic, message.key(), message);
    }

    public CompletableFuture<RecordMetadata> observation(TwinMessage message) {
        return send(observationsTopic, message.path(), message);
    }

    private CompletableFuture<RecordMetadata> send(String topic, String key, Object value) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        String json;
        try {
            json = Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            result.completeExceptionally(e);
            return result;
        }
        producer.send(new ProducerRecord<>(topic, key, json), (metadata, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(metadata);
            }
        });
        return result;
    }

    @Override
    public void close() {
        producer.close();
    }
}
