package org.dtlab.query.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.json.Json;
import org.dtlab.model.telemetry.TwinMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Writes the API's actions to Kafka: control messages to the control topic (key {@code kind/name}),
 * telemetry and per-twin commands to the observation topic (key = twin path). Idempotent producer,
 * {@code acks=all}: a write is confirmed once it is durable, and only then does the API answer.
 *
 * <p>A record larger than the twin job accepts is never written ({@link RecordTooLargeException}):
 * the job would reject it, and a control record the API applied but the job did not would split the
 * registry, holding every later telemetry back for a version that never comes.
 */
public final class Publisher implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String observationsTopic;
    private final String controlTopic;
    private final int maxRecordBytes;

    /** A record over the limit; nothing of the request was written. */
    public static final class RecordTooLargeException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final int bytes;
        private final int limit;

        RecordTooLargeException(int bytes, int limit) {
            super("record of " + bytes + " bytes over the limit of " + limit, null, false, false);
            this.bytes = bytes;
            this.limit = limit;
        }

        public int bytes() {
            return bytes;
        }

        public int limit() {
            return limit;
        }
    }

    public Publisher(
            String bootstrapServers,
            String observationsTopic,
            String controlTopic,
            int maxRecordBytes) {
        this.producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true,
                                ProducerConfig.LINGER_MS_CONFIG,
                                2,
                                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                15_000,
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                30_000,
                                // While the broker is unreachable a send waits for metadata at most
                                // this long, then the request is a 503: a worker is never held for
                                // Kafka's default minute.
                                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                5_000,
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                                StringSerializer.class,
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                ByteArraySerializer.class));
        this.observationsTopic = observationsTopic;
        this.controlTopic = controlTopic;
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * Creates the topics if they are missing: the control topic compacted with one partition (its
     * order is the registry's order), the observation topic with {@code partitions}.
     */
    public static void createTopics(
            String bootstrapServers, String observationsTopic, String controlTopic, int partitions)
            throws InterruptedException, ExecutionException {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> topics =
                    List.of(
                            new NewTopic(controlTopic, 1, (short) -1)
                                    .configs(Map.of("cleanup.policy", "compact")),
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

    /**
     * @throws RecordTooLargeException before anything is written
     */
    public CompletableFuture<RecordMetadata> control(ControlMessage message) {
        return send(controlTopic, message.key(), serialize(message));
    }

    /**
     * Writes the messages in order, or none of them if one is too large.
     *
     * @throws RecordTooLargeException before anything is written
     */
    public List<CompletableFuture<RecordMetadata>> observations(List<TwinMessage> messages) {
        List<byte[]> values = new ArrayList<>(messages.size());
        for (TwinMessage message : messages) {
            values.add(serialize(message));
        }
        List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            sends.add(send(observationsTopic, messages.get(i).path(), values.get(i)));
        }
        return sends;
    }

    private byte[] serialize(Object message) {
        byte[] value;
        try {
            value = Json.mapper().writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write " + message.getClass().getSimpleName(), e);
        }
        // The job measures the record's value, in bytes, as written here (RawRecordDeserializer).
        if (value.length > maxRecordBytes) {
            throw new RecordTooLargeException(value.length, maxRecordBytes);
        }
        return value;
    }

    private CompletableFuture<RecordMetadata> send(String topic, String key, byte[] value) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        producer.send(
                new ProducerRecord<>(topic, key, value),
                (metadata, error) -> {
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
