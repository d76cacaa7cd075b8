package org.dtlab.job.config;

import org.apache.flink.configuration.ReadableConfig;

import org.dtlab.connectors.journal.JournalOptions;
import org.dtlab.connectors.kafka.KafkaOptions;
import org.dtlab.connectors.webhook.WebhookOptions;
import org.dtlab.model.config.ConnectionSettings;
import org.dtlab.model.config.Settings;
import org.dtlab.model.telemetry.TwinPath;

import java.util.Map;

/**
 * The twin job's options, typed and checked: read from its settings ({@link TwinJobSettings}) by
 * {@link #from}, {@link #read} or {@link #fromArgs}. docs/settings.md lists every setting.
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
     * Reads the options from program arguments ({@code --kafka.bootstrap host:9092}), then
     * environment variables ({@code DTLAB_KAFKA_BOOTSTRAP}), then the Flink configuration ({@code
     * dtlab.kafka.bootstrap}), then the defaults.
     *
     * @throws IllegalArgumentException naming a setting that is missing, malformed or unknown
     */
    public static TwinJobOptions read(
            String[] args, Map<String, String> environment, ReadableConfig flinkConfiguration) {
        return from(
                Settings.fromArgs(args, environment, TwinJobSettings.ALL)
                        .withFallback(new FlinkConfigurationSource(flinkConfiguration)));
    }

    /** As {@link #read}, without a Flink configuration. */
    public static TwinJobOptions fromArgs(String[] args, Map<String, String> environment) {
        return from(Settings.fromArgs(args, environment, TwinJobSettings.ALL));
    }

    /**
     * Reads the options from {@code settings}.
     *
     * @throws IllegalArgumentException naming a setting that is missing or malformed
     */
    public static TwinJobOptions from(Settings settings) {
        KafkaOptions kafka =
                new KafkaOptions(
                        settings.get(ConnectionSettings.KAFKA_BOOTSTRAP),
                        settings.get(ConnectionSettings.KAFKA_OBSERVATIONS_TOPIC),
                        settings.get(ConnectionSettings.KAFKA_CONTROL_TOPIC),
                        settings.get(TwinJobSettings.KAFKA_GROUP_ID),
                        settings.get(ConnectionSettings.KAFKA_MAX_RECORD_BYTES),
                        Map.of());
        JournalOptions journal =
                JournalOptions.builder()
                        .setUrl(settings.get(ConnectionSettings.JDBC_URL))
                        .setUser(settings.get(TwinJobSettings.JDBC_USER))
                        .setPassword(settings.get(ConnectionSettings.JDBC_PASSWORD))
                        .setConnectTimeoutMs(
                                settings.get(TwinJobSettings.JDBC_WRITER_CONNECT_TIMEOUT_MS))
                        .setSocketTimeoutMs(
                                settings.get(TwinJobSettings.JDBC_WRITER_SOCKET_TIMEOUT_MS))
                        .build();
        WebhookOptions webhooks =
                new WebhookOptions(
                        settings.get(TwinJobSettings.WEBHOOK_TIMEOUT_MS),
                        settings.get(TwinJobSettings.WEBHOOK_MAX_ATTEMPTS),
                        settings.get(TwinJobSettings.WEBHOOK_INITIAL_BACKOFF_MS),
                        settings.get(TwinJobSettings.WEBHOOK_MAX_BACKOFF_MS),
                        settings.get(TwinJobSettings.WEBHOOK_MAX_IN_FLIGHT),
                        settings.get(TwinJobSettings.WEBHOOK_MAX_QUEUED),
                        settings.get(TwinJobSettings.WEBHOOK_BREAKER_FAILURES),
                        settings.get(TwinJobSettings.WEBHOOK_BREAKER_OPEN_MS));
        EventTimeOptions eventTime =
                new EventTimeOptions(
                        settings.get(TwinJobSettings.EVENT_TIME_OUT_OF_ORDERNESS_MS),
                        settings.get(TwinJobSettings.EVENT_TIME_IDLE_ADVANCE_MS));
        return new TwinJobOptions(
                kafka,
                journal,
                webhooks,
                settings.get(TwinJobSettings.SNAPSHOT_INTERVAL_MS),
                eventTime,
                settings.get(TwinJobSettings.TWINS_LEVELS));
    }
}
