package org.dtlab.job.config;

import org.apache.flink.util.ParameterTool;

import org.dtlab.connectors.journal.JournalOptions;
import org.dtlab.connectors.kafka.KafkaOptions;
import org.dtlab.connectors.webhook.WebhookOptions;
import org.dtlab.model.telemetry.TwinPath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * The twin job's settings, from program arguments ({@code --kafka.bootstrap host:9092}) with
 * environment variables as the fallback ({@code DTLAB_KAFKA_BOOTSTRAP}), so that secrets need not
 * appear on a command line. A password can also come from a file ({@code --jdbc.password-file}).
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><td>{@code --kafka.bootstrap}</td><td>required</td></tr>
 *   <tr><td>{@code --kafka.observations-topic}, {@code --kafka.control-topic}</td><td>{@code dtlab.observations}, {@code dtlab.control}</td></tr>
 *   <tr><td>{@code --kafka.group-id}</td><td>{@code dtlab-twin-job}</td></tr>
 *   <tr><td>{@code --kafka.max-record-bytes}</td><td>262144</td></tr>
 *   <tr><td>{@code --jdbc.url}, {@code --jdbc.user}</td><td>required</td></tr>
 *   <tr><td>{@code --jdbc.password} or {@code --jdbc.password-file}</td><td>empty</td></tr>
 *   <tr><td>{@code --snapshot-interval-ms}</td><td>500: at most one state write per twin per interval</td></tr>
 *   <tr><td>{@code --webhook.timeout-ms}</td><td>5000: one POST, connecting included</td></tr>
 *   <tr><td>{@code --webhook.max-attempts}</td><td>5, the first included; then a dead letter</td></tr>
 *   <tr><td>{@code --webhook.initial-backoff-ms}, {@code --webhook.max-backoff-ms}</td><td>250, 4000: the wait
 *   before a retry doubles from the first to the second</td></tr>
 *   <tr><td>{@code --webhook.max-in-flight}</td><td>8 POSTs at once per webhook</td></tr>
 *   <tr><td>{@code --webhook.max-queued}</td><td>2000 deliveries held per webhook; more are dead-lettered at once</td></tr>
 *   <tr><td>{@code --webhook.breaker-failures}, {@code --webhook.breaker-open-ms}</td><td>5, 30000: failed
 *   attempts in a row that open a webhook's circuit breaker, and how long it dead-letters before a probe</td></tr>
 *   <tr><td>{@code --event-time.out-of-orderness-ms}</td><td>5000 ({@link EventTimeOptions})</td></tr>
 *   <tr><td>{@code --event-time.idle-advance-ms}</td><td>0: event time follows the observations only</td></tr>
 *   <tr><td>{@code --twins.levels}</td><td>10: one twin operator per level of the hierarchy; roll-ups
 *   work for parents above this depth; 1 is the single operator of earlier versions (their savepoints)</td></tr>
 * </table>
 */
public record TwinJobOptions(
        KafkaOptions kafka,
        JournalOptions journal,
        WebhookOptions webhooks,
        long snapshotIntervalMs,
        EventTimeOptions eventTime,
        int levels) {

    public TwinJobOptions {
        if (levels < 1 || levels > TwinPath.MAX_LEVELS) {
            throw new IllegalArgumentException(
                    "--twins.levels must be 1 to " + TwinPath.MAX_LEVELS + ", got " + levels);
        }
    }

    /** With the default number of levels (every level of a path). */
    public TwinJobOptions(
            KafkaOptions kafka,
            JournalOptions journal,
            WebhookOptions webhooks,
            long snapshotIntervalMs,
            EventTimeOptions eventTime) {
        this(kafka, journal, webhooks, snapshotIntervalMs, eventTime, TwinPath.MAX_LEVELS);
    }

    /**
     * Reads the options; a missing or malformed setting is an {@link IllegalArgumentException}
     * naming it.
     */
    public static TwinJobOptions fromArgs(String[] args, Map<String, String> environment) {
        ParameterTool params = ParameterTool.fromArgs(args);
        Function<String, String> get =
                key -> {
                    String value = params.get(key);
                    return value != null
                            ? value
                            : environment.get(
                                    "DTLAB_"
                                            + key.toUpperCase()
                                                    .replace('.', '_')
                                                    .replace('-', '_'));
                };
        KafkaOptions kafka =
                new KafkaOptions(
                        required(get, "kafka.bootstrap"),
                        orDefault(
                                get,
                                "kafka.observations-topic",
                                KafkaOptions.DEFAULT_OBSERVATIONS_TOPIC),
                        orDefault(get, "kafka.control-topic", KafkaOptions.DEFAULT_CONTROL_TOPIC),
                        orDefault(get, "kafka.group-id", "dtlab-twin-job"),
                        integer(
                                get,
                                "kafka.max-record-bytes",
                                KafkaOptions.DEFAULT_MAX_RECORD_BYTES),
                        Map.of());
        JournalOptions journal =
                JournalOptions.of(
                        required(get, "jdbc.url"), required(get, "jdbc.user"), password(get));
        WebhookOptions defaults = WebhookOptions.defaults();
        WebhookOptions webhooks =
                new WebhookOptions(
                        integer(get, "webhook.timeout-ms", (int) defaults.requestTimeoutMs()),
                        integer(get, "webhook.max-attempts", defaults.maxAttempts()),
                        integer(
                                get,
                                "webhook.initial-backoff-ms",
                                (int) defaults.initialBackoffMs()),
                        integer(get, "webhook.max-backoff-ms", (int) defaults.maxBackoffMs()),
                        integer(get, "webhook.max-in-flight", defaults.maxInFlightPerWebhook()),
                        integer(get, "webhook.max-queued", defaults.maxQueuedPerWebhook()),
                        integer(get, "webhook.breaker-failures", defaults.breakerFailures()),
                        integer(get, "webhook.breaker-open-ms", (int) defaults.breakerOpenMs()));
        EventTimeOptions eventTime =
                new EventTimeOptions(
                        integer(
                                get,
                                "event-time.out-of-orderness-ms",
                                (int) EventTimeOptions.DEFAULT_OUT_OF_ORDERNESS_MS),
                        integer(get, "event-time.idle-advance-ms", 0));
        return new TwinJobOptions(
                kafka,
                journal,
                webhooks,
                integer(get, "snapshot-interval-ms", 500),
                eventTime,
                integer(get, "twins.levels", TwinPath.MAX_LEVELS));
    }

    private static String required(Function<String, String> get, String key) {
        String value = get.apply(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "missing --"
                            + key
                            + " (or the environment variable "
                            + "DTLAB_"
                            + key.toUpperCase().replace('.', '_').replace('-', '_')
                            + ")");
        }
        return value;
    }

    private static String orDefault(Function<String, String> get, String key, String fallback) {
        String value = get.apply(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int integer(Function<String, String> get, String key, int fallback) {
        String value = get.apply(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + key + " must be a non-negative whole number, got '" + value + "'");
        }
    }

    private static String password(Function<String, String> get) {
        String file = get.apply("jdbc.password-file");
        if (file != null && !file.isBlank()) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read --jdbc.password-file " + file + ": " + e.getMessage());
            }
        }
        return orDefault(get, "jdbc.password", "");
    }
}
