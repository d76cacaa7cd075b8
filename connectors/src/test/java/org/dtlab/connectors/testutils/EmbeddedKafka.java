package org.dtlab.connectors.testutils;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.dtlab.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A real Kafka broker (KRaft, broker and controller in one node) in the test JVM, on 127.0.0.1 with
 * free ports. Register it as a static JUnit 5 extension; it starts once per test class.
 */
public final class EmbeddedKafka implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private EmbeddedKafkaBroker broker;
    private String bootstrapServers;
    private KafkaProducer<byte[], byte[]> producer;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("dtlab-kafka");
        broker = EmbeddedKafkaBroker.start(dir, 0);
        bootstrapServers = broker.bootstrapServers();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (producer != null) {
            producer.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates topics with the given partition count. */
    public void createTopics(int partitions, String... topics)
            throws ExecutionException, InterruptedException {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(
                            Stream.of(topics)
                                    .map(t -> new NewTopic(t, partitions, (short) 1))
                                    .toList())
                    .all()
                    .get();
        }
    }

    /** Produces one record synchronously (acks=all). */
    public void send(String topic, String key, String value) {
        send(
                topic,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public void send(String topic, byte[] key, byte[] value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not produce to " + topic, e.getCause());
        }
    }

    public void sendAll(String topic, List<Map.Entry<String, String>> records) {
        for (Map.Entry<String, String> r : records) {
            producer()
                    .send(
                            new ProducerRecord<>(
                                    topic,
                                    r.getKey() == null
                                            ? null
                                            : r.getKey().getBytes(StandardCharsets.UTF_8),
                                    r.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        producer().flush();
    }

    /**
     * Produces raw records (any bytes; {@code null} keys or values in entries that allow them, such
     * as {@link java.util.AbstractMap.SimpleImmutableEntry}) and waits until the broker has them
     * all.
     *
     * @return where each record was written, in the order of {@code records}
     */
    public List<RecordMetadata> sendAllBytes(
            String topic, List<? extends Map.Entry<byte[], byte[]>> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (Map.Entry<byte[], byte[]> r : records) {
            sent.add(producer().send(new ProducerRecord<>(topic, r.getKey(), r.getValue())));
        }
        producer().flush();
        List<RecordMetadata> written = new ArrayList<>(sent.size());
        for (Future<RecordMetadata> s : sent) {
            try {
                written.add(s.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("could not produce to " + topic, e.getCause());
            }
        }
        return written;
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer =
                    new KafkaProducer<>(
                            Map.of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    bootstrapServers,
                                    ProducerConfig.ACKS_CONFIG,
                                    "all",
                                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                    true,
                                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                    2 * 1024 * 1024,
                                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                                    ByteArraySerializer.class,
                                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                    ByteArraySerializer.class));
        }
        return producer;
    }
}
