package org.dtlab.query.config;

import org.dtlab.model.config.ConnectionSettings;
import org.dtlab.model.config.Setting;

import java.util.List;

/**
 * The query service's settings, each declared once; {@link QueryServiceConfig} reads them into the
 * service's typed configuration. Program arguments ({@code --port 8090}) beat environment variables
 * ({@code DTLAB_PORT}), which beat the default. docs/settings.md lists them.
 */
public final class QueryServiceSettings {

    public static final Setting<Integer> PORT =
            Setting.key("port")
                    .intType()
                    .defaultValue(8081)
                    .between(0, 65535)
                    .withDescription("The HTTP API's port (0: any free port).");

    public static final Setting<String> HOST =
            Setting.key("host")
                    .stringType()
                    .defaultValue("127.0.0.1")
                    .withDescription(
                            "The address the HTTP API listens on (0.0.0.0: every interface; then"
                                    + " require tokens with --auth.tokens, or anyone who reaches"
                                    + " it may read and change every twin: dtlab local warns).");

    public static final Setting<String> PREFIX =
            Setting.key("prefix")
                    .stringType()
                    .defaultValue("/dtlab-alligator")
                    .withDescription(
                            "The path prefix of the DT Lab routes: empty, or starting with / and"
                                    + " not ending with one.");

    public static final Setting<String> JDBC_USER =
            Setting.key("jdbc.user")
                    .stringType()
                    .defaultValue("")
                    .withDeprecatedKeys("jdbc-user")
                    .withDescription("The database user.");

    public static final Setting<Integer> JDBC_CONNECT_TIMEOUT_MS =
            Setting.key("jdbc.connect-timeout-ms")
                    .intType()
                    .defaultValue(2_000)
                    // HikariCP refuses shorter connection timeouts.
                    .atLeast(250)
                    .withDescription(
                            "How long a database call waits for a connection; a read that gets"
                                    + " none answers 503.");

    public static final Setting<Integer> JDBC_QUERY_TIMEOUT_MS =
            Setting.key("jdbc.query-timeout-ms")
                    .intType()
                    .defaultValue(10_000)
                    .atLeast(1)
                    .withDescription(
                            "How long one database query may run before it is cancelled (whole"
                                    + " seconds for the driver, rounded up); on PostgreSQL a socket"
                                    + " that stays silent one second longer is closed, so a hung"
                                    + " server cannot hold a read.");

    public static final Setting<Integer> KAFKA_OBSERVATION_PARTITIONS =
            Setting.key("kafka.observation-partitions")
                    .intType()
                    .defaultValue(4)
                    .atLeast(1)
                    .withDescription(
                            "Partitions of the observation topic when the service creates it:"
                                    + " at least the twin job's parallelism, so that every source"
                                    + " subtask reads.");

    public static final Setting<Integer> CONFIRM_TIMEOUT_MS =
            Setting.key("confirm-timeout-ms")
                    .intType()
                    .defaultValue(10_000)
                    .atLeast(1)
                    .withDescription(
                            "How long a write waits for Kafka to confirm it (a definition also for"
                                + " its control record to come back); then 503 (retry: a late write"
                                + " is not lost).");

    public static final Setting<Integer> MAX_BODY_BYTES =
            Setting.key("max-body-bytes")
                    .intType()
                    .defaultValue(1024 * 1024)
                    .atLeast(1)
                    .withDescription(
                            "A larger request body, declared or chunked, is refused with 413 and"
                                + " the connection is closed (a declared body of up to 8 times the"
                                + " limit is read and dropped first).");

    public static final Setting<Integer> HTTP_READ_TIMEOUT_MS =
            Setting.key("http.read-timeout-ms")
                    .intType()
                    .defaultValue(30_000)
                    .atLeast(1)
                    .withDescription(
                            "A connection that sends nothing for this long while a request (its"
                                    + " headers or body) is expected is closed. Bodies are received"
                                    + " without a thread of their own: a stalled client holds a"
                                    + " connection and its buffer, never a worker.");

    public static final Setting<Integer> HTTP_IDLE_TIMEOUT_MS =
            Setting.key("http.idle-timeout-ms")
                    .intType()
                    .defaultValue(60_000)
                    .atLeast(1)
                    .withDescription("An idle keep-alive connection is closed after this long.");

    public static final Setting<Integer> HTTP_MAX_PENDING_BODIES =
            Setting.key("http.max-pending-bodies")
                    .intType()
                    .defaultValue(64)
                    .atLeast(1)
                    .withDescription(
                            "Request bodies being received at once; more get a 503 with"
                                    + " Retry-After: 1. Each may hold up to --max-body-bytes of"
                                    + " memory.");

    public static final Setting<String> AUTH_TOKENS =
            Setting.key("auth.tokens")
                    .stringType()
                    .defaultValue("")
                    .secret()
                    .withFileVariant()
                    .withDeprecatedKeys("auth-tokens")
                    .withDefaultDescription("none: no authentication")
                    .withDescription(
                            "Bearer tokens that may call the API, comma-separated (a file holds one"
                                + " a line; lines starting with # are comments). Every route but"
                                + " /fitness, /openapi.yaml and /ui then requires Authorization:"
                                + " Bearer <token>.");

    public static final Setting<Integer> WEBHOOK_RESEND_TIMEOUT_MS =
            Setting.key("webhook.resend-timeout-ms")
                    .intType()
                    .defaultValue(5_000)
                    .atLeast(1)
                    .withDescription(
                            "How long one re-sent dead letter's POST may take (POST"
                                    + " /webhook/{W}/deadletters/resend); the default is the twin"
                                    + " job's --webhook.timeout-ms.");

    public static final Setting<Integer> STREAM_POLL_INTERVAL_MS =
            Setting.key("stream.poll-interval-ms")
                    .intType()
                    .defaultValue(200)
                    .atLeast(1)
                    .withDescription(
                            "How often the one poller reads new events for every event stream:"
                                    + " one query per interval.");

    public static final Setting<Integer> STREAM_RETENTION =
            Setting.key("stream.retention")
                    .intType()
                    .defaultValue(10_000)
                    .atLeast(1)
                    .withDescription(
                            "The newest events kept, across all twins, for streams that resume"
                                    + " with Last-Event-ID (in memory; read from the table again at"
                                    + " start). A resume from an older one starts with a Reset"
                                    + " event.");

    public static final Setting<Integer> STREAM_MAX_STREAMS =
            Setting.key("stream.max-streams")
                    .intType()
                    .defaultValue(10_000)
                    .atLeast(1)
                    .withDescription(
                            "Open event streams at most; more get a 503. Mind the process's"
                                    + " file-descriptor limit (ulimit -n).");

    public static final Setting<Integer> STREAM_MAX_PENDING =
            Setting.key("stream.max-pending")
                    .intType()
                    .defaultValue(10_000)
                    .atLeast(1)
                    .withDescription(
                            "Events waiting for one slow client before its connection is closed (it"
                                    + " resumes with Last-Event-ID). The payloads are shared by all"
                                    + " streams: a waiting event costs a stream about 100 bytes.");

    public static final Setting<Integer> STREAM_KEEP_ALIVE_MS =
            Setting.key("stream.keep-alive-ms")
                    .intType()
                    .defaultValue(15_000)
                    .atLeast(1)
                    .withDescription(
                            "A comment is sent to a quiet stream this often, which also finds"
                                    + " clients that have gone.");

    /** Every setting of the query service, the shared ones included, in the order of the docs. */
    public static final List<Setting<?>> ALL =
            List.of(
                    PORT,
                    HOST,
                    PREFIX,
                    AUTH_TOKENS,
                    ConnectionSettings.KAFKA_BOOTSTRAP,
                    ConnectionSettings.KAFKA_OBSERVATIONS_TOPIC,
                    ConnectionSettings.KAFKA_CONTROL_TOPIC,
                    KAFKA_OBSERVATION_PARTITIONS,
                    ConnectionSettings.KAFKA_MAX_RECORD_BYTES,
                    CONFIRM_TIMEOUT_MS,
                    ConnectionSettings.JDBC_URL,
                    JDBC_USER,
                    ConnectionSettings.JDBC_PASSWORD,
                    JDBC_CONNECT_TIMEOUT_MS,
                    JDBC_QUERY_TIMEOUT_MS,
                    MAX_BODY_BYTES,
                    HTTP_READ_TIMEOUT_MS,
                    HTTP_IDLE_TIMEOUT_MS,
                    HTTP_MAX_PENDING_BODIES,
                    STREAM_POLL_INTERVAL_MS,
                    STREAM_RETENTION,
                    STREAM_MAX_STREAMS,
                    STREAM_MAX_PENDING,
                    STREAM_KEEP_ALIVE_MS,
                    WEBHOOK_RESEND_TIMEOUT_MS);

    private QueryServiceSettings() {}
}
