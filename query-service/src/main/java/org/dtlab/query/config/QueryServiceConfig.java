package org.dtlab.query.config;

import org.dtlab.model.config.ConnectionSettings;
import org.dtlab.model.config.Settings;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The query service's configuration, typed and checked: read from its settings ({@link
 * QueryServiceSettings}, docs/settings.md) by {@link #from} or {@link #fromArgs}.
 *
 * @param tokens bearer tokens that may call the API; empty = no authentication
 * @param maxRecordBytes larger Kafka records are refused with 413 before they are written: the twin
 *     job's limit, which rejects larger records, so that nothing the API accepts is lost in the job
 * @param stream the event streams' settings
 */
public record QueryServiceConfig(
        int port,
        String host,
        String prefix,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String kafkaBootstrap,
        String observationsTopic,
        String controlTopic,
        int observationPartitions,
        int maxBodyBytes,
        Set<String> tokens,
        long confirmTimeoutMs,
        int maxRecordBytes,
        int readTimeoutMs,
        int idleTimeoutMs,
        int maxPendingBodies,
        int jdbcConnectTimeoutMs,
        int jdbcQueryTimeoutMs,
        int webhookResendTimeoutMs,
        StreamSettings stream) {

    /** The Server-Sent Event streams ({@code docs/api.md#streams}, {@code --stream.*}). */
    public record StreamSettings(
            int pollIntervalMs, int retention, int maxStreams, int maxPending, int keepAliveMs) {
        public StreamSettings {
            positive("stream.poll-interval-ms", pollIntervalMs);
            positive("stream.retention", retention);
            positive("stream.max-streams", maxStreams);
            positive("stream.max-pending", maxPending);
            positive("stream.keep-alive-ms", keepAliveMs);
        }
    }

    public QueryServiceConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0-65535, got " + port);
        }
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException(
                    "--prefix must start with / and not end with one, got " + prefix);
        }
        positive("max-body-bytes", maxBodyBytes);
        positive("kafka.max-record-bytes", maxRecordBytes);
        positive("http.read-timeout-ms", readTimeoutMs);
        positive("http.idle-timeout-ms", idleTimeoutMs);
        positive("http.max-pending-bodies", maxPendingBodies);
        // HikariCP refuses shorter connection timeouts.
        if (jdbcConnectTimeoutMs < 250) {
            throw new IllegalArgumentException(
                    "--jdbc.connect-timeout-ms must be at least 250, got " + jdbcConnectTimeoutMs);
        }
        positive("jdbc.query-timeout-ms", jdbcQueryTimeoutMs);
        positive("webhook.resend-timeout-ms", webhookResendTimeoutMs);
        tokens = Set.copyOf(tokens);
    }

    private static void positive(String key, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("--" + key + " must be positive, got " + value);
        }
    }

    /** The default of {@code --kafka.max-record-bytes}: the twin job's default record limit. */
    public static final int DEFAULT_MAX_RECORD_BYTES =
            ConnectionSettings.KAFKA_MAX_RECORD_BYTES.defaultValue();

    /**
     * Reads the configuration from program arguments ({@code --key value}), then environment
     * variables ({@code DTLAB_KEY}), then the defaults.
     *
     * @throws IllegalArgumentException naming a setting that is missing, malformed or unknown
     */
    public static QueryServiceConfig fromArgs(String[] args, Map<String, String> environment) {
        return from(Settings.fromArgs(args, environment, QueryServiceSettings.ALL));
    }

    /**
     * Reads the configuration from {@code settings}.
     *
     * @throws IllegalArgumentException naming a setting that is missing or malformed
     */
    public static QueryServiceConfig from(Settings s) {
        return new QueryServiceConfig(
                s.get(QueryServiceSettings.PORT),
                s.get(QueryServiceSettings.HOST),
                s.get(QueryServiceSettings.PREFIX),
                s.get(ConnectionSettings.JDBC_URL),
                s.get(QueryServiceSettings.JDBC_USER),
                s.get(ConnectionSettings.JDBC_PASSWORD),
                s.get(ConnectionSettings.KAFKA_BOOTSTRAP),
                s.get(ConnectionSettings.KAFKA_OBSERVATIONS_TOPIC),
                s.get(ConnectionSettings.KAFKA_CONTROL_TOPIC),
                s.get(QueryServiceSettings.KAFKA_OBSERVATION_PARTITIONS),
                s.get(QueryServiceSettings.MAX_BODY_BYTES),
                tokens(s.get(QueryServiceSettings.AUTH_TOKENS)),
                s.get(QueryServiceSettings.CONFIRM_TIMEOUT_MS),
                s.get(ConnectionSettings.KAFKA_MAX_RECORD_BYTES),
                s.get(QueryServiceSettings.HTTP_READ_TIMEOUT_MS),
                s.get(QueryServiceSettings.HTTP_IDLE_TIMEOUT_MS),
                s.get(QueryServiceSettings.HTTP_MAX_PENDING_BODIES),
                s.get(QueryServiceSettings.JDBC_CONNECT_TIMEOUT_MS),
                s.get(QueryServiceSettings.JDBC_QUERY_TIMEOUT_MS),
                s.get(QueryServiceSettings.WEBHOOK_RESEND_TIMEOUT_MS),
                new StreamSettings(
                        s.get(QueryServiceSettings.STREAM_POLL_INTERVAL_MS),
                        s.get(QueryServiceSettings.STREAM_RETENTION),
                        s.get(QueryServiceSettings.STREAM_MAX_STREAMS),
                        s.get(QueryServiceSettings.STREAM_MAX_PENDING),
                        s.get(QueryServiceSettings.STREAM_KEEP_ALIVE_MS)));
    }

    /** Tokens separated by commas or lines; blank lines and {@code #} comments are skipped. */
    private static Set<String> tokens(String text) {
        return Arrays.stream(text.split("[,\\n]"))
                .map(String::strip)
                .filter(t -> !t.isEmpty() && !t.startsWith("#"))
                .collect(Collectors.toSet());
    }
}
