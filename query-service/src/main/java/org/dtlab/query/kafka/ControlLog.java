package org.dtlab.query.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The query service's copy of the registry: folds the control topic, from its beginning, with the
 * same {@link Registry#apply} the twin job uses, so both agree on what is defined. A writer that
 * produced a control record can wait for its outcome ({@link #outcome}), which gives
 * read-your-writes and a consistent 201/409 even with several replicas of the service.
 */
public final class ControlLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlLog.class);

    private final KafkaConsumer<String, String> consumer;
    private final TopicPartition partition;
    private final Thread thread;
    private final Map<String, CompletableFuture<Registry.Applied>> waiting =
            new ConcurrentHashMap<>();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private volatile Registry registry = Registry.empty();
    private volatile boolean running = true;

    public ControlLog(String bootstrapServers, String topic) {
        this.consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                StringDeserializer.class,
                                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                StringDeserializer.class));
        this.partition = new TopicPartition(topic, 0);
        this.thread = new Thread(this::run, "dtlab-control-log");
        this.thread.setDaemon(true);
    }

    /**
     * Starts reading; {@link #caughtUp()} completes once everything written before now is applied.
     */
    public ControlLog start() {
        thread.start();
        return this;
    }

    public Registry registry() {
        return registry;
    }

    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /**
     * The outcome of the control message with this id, once this log has applied it. Call before
     * producing it.
     */
    public CompletableFuture<Registry.Applied> outcome(String messageId) {
        return waiting.computeIfAbsent(messageId, id -> new CompletableFuture<>());
    }

    /** Stops waiting for a message's outcome (after a timeout). */
    public void forget(String messageId) {
        waiting.remove(messageId);
    }

    private void run() {
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            if (end == 0) {
                caughtUp.complete(null);
            }
            while (running) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                    if (record.offset() + 1 >= end) {
                        caughtUp.complete(null);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("The control log stopped; the service can no longer confirm writes", e);
            caughtUp.completeExceptionally(e);
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return; // a compaction tombstone
        }
        ControlMessage message;
        try {
            message = ControlMessage.read(record.value());
        } catch (Exception e) {
            LOG.warn(
                    "Skipping unreadable control record {}@{}: {}",
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return;
        }
        Registry.Applied applied = registry.apply(message);
        registry = applied.registry();
        CompletableFuture<Registry.Applied> waiter = waiting.remove(message.id());
        if (waiter != null) {
            waiter.complete(applied);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
