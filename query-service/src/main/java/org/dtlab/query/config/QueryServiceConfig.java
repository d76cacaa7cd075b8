package org.dtlab.query.config;

import org.dtlab.model.Limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The query service's settings: {@code --key value} arguments, with {@code DTLAB_KEY} environment
 * variables as the fallback (dots and dashes become underscores).
 *
 * @param port HTTP port ({@code --port}, 8081; 0 picks a free one)
 * @param host bind address ({@code --host}, 127.0.0.1)
 * @param prefix path prefix of the DT Lab routes ({@code --prefix}, {@code /dtlab-alligator})
 * @param jdbcUrl the journal database ({@code --jdbc.url}, required)
 * @param kafkaBootstrap the Kafka cluster ({@code --kafka.bootstrap}, required)
 * @param observationPartitions partitions of the observation topic when the service creates it (4)
 * @param maxBodyBytes larger request bodies are refused with 413 ({@code --max-body-bytes}, 1 MiB)
 * @param tokens bearer tokens that may call the API; empty = no authentication ({@code
 *     --auth.tokens} comma-separated, or {@code --auth.tokens-file} one per line)
 * @param confirmTimeoutMs how long a write waits for Kafka (and its control record to come back)
 * @param maxRecordBytes larger Kafka records are refused with 413 before they are written ({@code
 *     --kafka.max-record-bytes}, 256 KiB): set it to the twin job's {@code
 *     --kafka.max-record-bytes}, which rejects larger records, so that nothing the API accepts is
 *     lost in the job
 * @param readTimeoutMs a connection that sends nothing for this long while a request (its headers
 *     or body) is expected is closed ({@code --http.read-timeout-ms}, 30 s)
 * @param idleTimeoutMs an idle keep-alive connection is closed after this long ({@code
 *     --http.idle-timeout-ms}, 60 s)
 * @param maxPendingBodies request bodies being received at once; more get a 503 at once ({@code
 *     --http.max-pending-bodies}, 64). Each may hold up to {@code maxBodyBytes} of memory.
 * @param jdbcConnectTimeoutMs how long a database call waits for a connection ({@code
 *     --jdbc.connect-timeout-ms}, 2 s)
 * @param jdbcQueryTimeoutMs how long one database query may run ({@code --jdbc.query-timeout-ms},
 *     10 s; whole seconds for the driver, rounded up)
 * @param webhookResendTimeoutMs how long one re-sent dead letter's POST may take ({@code
 *     --webhook.resend-timeout-ms}, 5 s: the twin job's {@code --webhook.timeout-ms} default)
 * @param stream the event streams' settings ({@code --stream.*})
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

    /**
     * The Server-Sent Event streams ({@code docs/api.md#streams}).
     *
     * @param pollIntervalMs how often the one poller reads new events ({@code
     *     --stream.poll-interval-ms}, 200)
     * @param retention events kept for {@code Last-Event-ID} resumes ({@code --stream.retention},
     *     10,000)
     * @param maxStreams open streams at most; more get a 503 ({@code --stream.max-streams}, 10,000)
     * @param maxPending events waiting for one slow client before it is dropped ({@code
     *     --stream.max-pending}, 10,000; the payloads are shared by all streams, so a waiting event
     *     costs a stream about 100 bytes)
     * @param keepAliveMs a comment is sent to a quiet stream this often ({@code
     *     --stream.keep-alive-ms}, 15 s)
     */
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
    public static final int DEFAULT_MAX_RECORD_BYTES = Limits.DEFAULT_MAX_RECORD_BYTES;

    public static QueryServiceConfig fromArgs(String[] args, Map<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        "expected --key value pairs, got '" + args[i] + "'");
            }
            values.put(args[i].substring(2), args[++i]);
        }
        Settings s = new Settings(values, environment);
        return new QueryServiceConfig(
                s.integer("port", 8081),
                s.get("host", "127.0.0.1"),
                s.get("prefix", "/dtlab-alligator"),
                s.required("jdbc.url"),
                s.get("jdbc.user", ""),
                s.password(),
                s.required("kafka.bootstrap"),
                s.get("kafka.observations-topic", "dtlab.observations"),
                s.get("kafka.control-topic", "dtlab.control"),
                s.integer("kafka.observation-partitions", 4),
                s.integer("max-body-bytes", 1024 * 1024),
                s.tokens(),
                s.integer("confirm-timeout-ms", 10_000),
                s.integer("kafka.max-record-bytes", DEFAULT_MAX_RECORD_BYTES),
                s.integer("http.read-timeout-ms", 30_000),
                s.integer("http.idle-timeout-ms", 60_000),
                s.integer("http.max-pending-bodies", 64),
                s.integer("jdbc.connect-timeout-ms", 2_000),
                s.integer("jdbc.query-timeout-ms", 10_000),
                s.integer("webhook.resend-timeout-ms", 5_000),
                new StreamSettings(
                        s.integer("stream.poll-interval-ms", 200),
                        s.integer("stream.retention", 10_000),
                        s.integer("stream.max-streams", 10_000),
                        s.integer("stream.max-pending", 10_000),
                        s.integer("stream.keep-alive-ms", 15_000)));
    }

    /** Where a setting comes from: an argument, else the environment, else the default. */
    private record Settings(Map<String, String> args, Map<String, String> environment) {

        String get(String key, String fallback) {
            String value = args.get(key);
            if (value == null) {
                value = environment.get(envName(key));
            }
            return value == null || value.isBlank() ? fallback : value.strip();
        }

        String required(String key) {
            String value = get(key, null);
            if (value == null) {
                throw new IllegalArgumentException(
                        "missing --" + key + " (or " + envName(key) + ")");
            }
            return value;
        }

        int integer(String key, int fallback) {
            String value = get(key, null);
            if (value == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--" + key + " must be a whole number, got '" + value + "'");
            }
        }

        String password() {
            String file = get("jdbc.password-file", null);
            return file != null
                    ? read(file, "jdbc.password-file").strip()
                    : get("jdbc.password", "");
        }

        Set<String> tokens() {
            String file = get("auth.tokens-file", null);
            String text = file != null ? read(file, "auth.tokens-file") : get("auth.tokens", "");
            return Arrays.stream(text.split("[,\\n]"))
                    .map(String::strip)
                    .filter(t -> !t.isEmpty() && !t.startsWith("#"))
                    .collect(Collectors.toSet());
        }

        private static String read(String file, String key) {
            try {
                return Files.readString(Path.of(file));
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read --" + key + " " + file + ": " + e.getMessage());
            }
        }

        private static String envName(String key) {
            return "DTLAB_" + key.toUpperCase().replace('.', '_').replace('-', '_');
        }
    }
}
