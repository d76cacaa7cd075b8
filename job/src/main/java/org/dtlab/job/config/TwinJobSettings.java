package org.dtlab.job.config;

import org.dtlab.connectors.journal.JournalOptions;
import org.dtlab.connectors.kafka.KafkaOptions;
import org.dtlab.connectors.webhook.WebhookOptions;
import org.dtlab.model.config.ConnectionSettings;
import org.dtlab.model.config.Setting;
import org.dtlab.model.telemetry.TwinPath;

import java.util.List;

/**
 * The twin job's settings, each declared once; {@link TwinJobOptions} reads them into the job's
 * typed options. Program arguments ({@code --twins.levels 3}) beat environment variables ({@code
 * DTLAB_TWINS_LEVELS}), which beat the Flink configuration ({@code dtlab.twins.levels}, through
 * {@link FlinkConfigurationSource#option}), which beats the default. docs/settings.md lists them.
 */
public final class TwinJobSettings {

    public static final Setting<String> KAFKA_GROUP_ID =
            Setting.key("kafka.group-id")
                    .stringType()
                    .defaultValue(KafkaOptions.DEFAULT_GROUP_ID)
                    .withDescription(
                            "The consumer group of the observation source. Offsets are committed"
                                    + " on checkpoints, for monitoring; the job restores its"
                                    + " offsets from its checkpoints.");

    public static final Setting<String> JDBC_USER =
            Setting.key("jdbc.user")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("jdbc-user")
                    .withDescription("The database user.");

    public static final Setting<Integer> JDBC_WRITER_CONNECT_TIMEOUT_MS =
            Setting.key("jdbc.writer.connect-timeout-ms")
                    .intType()
                    .defaultValue(JournalOptions.DEFAULT_CONNECT_TIMEOUT_MS)
                    .atLeast(1)
                    .withDescription(
                            "PostgreSQL: the longest the job's writers may take to open a"
                                    + " connection, logging in included (whole seconds for the"
                                    + " driver, rounded up); then the batch is retried, then the"
                                    + " job restarts. A connectTimeout or loginTimeout parameter"
                                    + " in --jdbc.url wins.");

    public static final Setting<Integer> JDBC_WRITER_SOCKET_TIMEOUT_MS =
            Setting.key("jdbc.writer.socket-timeout-ms")
                    .intType()
                    .defaultValue(JournalOptions.DEFAULT_SOCKET_TIMEOUT_MS)
                    .atLeast(1)
                    .withDescription(
                            "PostgreSQL: the longest the job's writers wait for the server to"
                                    + " answer a statement, a COPY or a commit (whole seconds,"
                                    + " rounded up), so that a server that hangs (frozen, or behind"
                                    + " a network partition) fails the batch instead of blocking"
                                    + " the job; then the batch is retried, then the job restarts."
                                    + " Far above a large batch on a busy server, below Flink's"
                                    + " task cancellation timeout (3 min). A socketTimeout"
                                    + " parameter in --jdbc.url wins.");

    public static final Setting<Integer> SNAPSHOT_INTERVAL_MS =
            Setting.key("snapshot-interval-ms")
                    .intType()
                    .defaultValue(500)
                    .atLeast(0)
                    .withDescription(
                            "A twin's state row (dtlab_twin_state) is written at most once per"
                                    + " interval, with the newest state, and before every"
                                    + " checkpoint; 0 writes every change.");

    private static final WebhookOptions WEBHOOK_DEFAULTS = WebhookOptions.defaults();

    public static final Setting<Integer> WEBHOOK_TIMEOUT_MS =
            Setting.key("webhook.timeout-ms")
                    .intType()
                    .defaultValue((int) WEBHOOK_DEFAULTS.requestTimeoutMs())
                    .atLeast(1)
                    .withDescription(
                            "How long one POST, connecting included, may take; longer counts as a"
                                    + " failed attempt (the receiver may still have processed it: a"
                                    + " retry repeats it with the same Idempotency-Key).");

    public static final Setting<Integer> WEBHOOK_MAX_ATTEMPTS =
            Setting.key("webhook.max-attempts")
                    .intType()
                    .defaultValue(WEBHOOK_DEFAULTS.maxAttempts())
                    .atLeast(1)
                    .withDescription(
                            "Attempts per delivery, the first included; then it is a dead letter."
                                    + " Retried: timeouts, connection errors, 5xx, 429, 408. Not"
                                    + " retried: other 4xx (a dead letter at once).");

    public static final Setting<Integer> WEBHOOK_INITIAL_BACKOFF_MS =
            Setting.key("webhook.initial-backoff-ms")
                    .intType()
                    .defaultValue((int) WEBHOOK_DEFAULTS.initialBackoffMs())
                    .atLeast(0)
                    .withDescription(
                            "The wait before the first retry; it doubles per attempt up to"
                                    + " --webhook.max-backoff-ms. A waiting retry holds no slot of"
                                    + " its webhook's lane.");

    public static final Setting<Integer> WEBHOOK_MAX_BACKOFF_MS =
            Setting.key("webhook.max-backoff-ms")
                    .intType()
                    .defaultValue((int) WEBHOOK_DEFAULTS.maxBackoffMs())
                    .atLeast(0)
                    .withDescription(
                            "The longest wait between attempts; at least"
                                    + " --webhook.initial-backoff-ms.");

    public static final Setting<Integer> WEBHOOK_MAX_IN_FLIGHT =
            Setting.key("webhook.max-in-flight")
                    .intType()
                    .defaultValue(WEBHOOK_DEFAULTS.maxInFlightPerWebhook())
                    .atLeast(1)
                    .withDescription("POSTs at once to one webhook.");

    public static final Setting<Integer> WEBHOOK_MAX_QUEUED =
            Setting.key("webhook.max-queued")
                    .intType()
                    .defaultValue(WEBHOOK_DEFAULTS.maxQueuedPerWebhook())
                    .atLeast(1)
                    .withDescription(
                            "Deliveries one webhook may hold (waiting, in flight or waiting for a"
                                + " retry); a further one is dead-lettered at once (queue full: …),"
                                + " so a receiver that cannot keep up never holds back the job or"
                                + " uses memory without bound. At least --webhook.max-in-flight.");

    public static final Setting<Integer> WEBHOOK_BREAKER_FAILURES =
            Setting.key("webhook.breaker-failures")
                    .intType()
                    .defaultValue(WEBHOOK_DEFAULTS.breakerFailures())
                    .atLeast(1)
                    .withDescription(
                            "Failed attempts in a row (as retried, see --webhook.max-attempts)"
                                    + " that open a webhook's circuit breaker.");

    public static final Setting<Integer> WEBHOOK_BREAKER_OPEN_MS =
            Setting.key("webhook.breaker-open-ms")
                    .intType()
                    .defaultValue((int) WEBHOOK_DEFAULTS.breakerOpenMs())
                    .atLeast(1)
                    .withDescription(
                            "How long an open breaker dead-letters its webhook's deliveries at"
                                + " once, without a POST (circuit open: …); then one delivery"
                                + " probes the receiver: delivered, the breaker closes; failed, it"
                                + " stays open for another period.");

    public static final Setting<Integer> EVENT_TIME_OUT_OF_ORDERNESS_MS =
            Setting.key("event-time.out-of-orderness-ms")
                    .intType()
                    .defaultValue((int) EventTimeOptions.DEFAULT_OUT_OF_ORDERNESS_MS)
                    .atLeast(0)
                    .withDescription(
                            "Event time trails the newest observation by this much: an observation"
                                + " up to this much older than the newest one seen is still in time"
                                + " (docs/operators.md, Time).");

    public static final Setting<Integer> EVENT_TIME_IDLE_ADVANCE_MS =
            Setting.key("event-time.idle-advance-ms")
                    .intType()
                    .defaultValue(0)
                    .atLeast(0)
                    .withDescription(
                            "After this much wall-clock time without an observation, event time"
                                + " follows the clock (less the out-of-orderness), so alarms,"
                                + " staleness and windows fire although the whole system is quiet;"
                                + " this assumes the devices' clocks agree with the job's. 0: event"
                                + " time follows the observations only, as a replay of old data"
                                + " through Kafka needs.");

    public static final Setting<Integer> TWINS_LEVELS =
            Setting.key("twins.levels")
                    .intType()
                    .defaultValue(TwinPath.MAX_LEVELS)
                    .between(1, TwinPath.MAX_LEVELS)
                    .withDescription(
                            "Twin operators, one per level of the twin hierarchy: roll-ups work"
                                    + " for parents up to this depth. 1 is the single operator of"
                                    + " earlier versions (to restore their savepoints).");

    /** Every setting of the twin job, the shared ones included, in the order of the docs. */
    public static final List<Setting<?>> ALL =
            List.of(
                    ConnectionSettings.KAFKA_BOOTSTRAP,
                    ConnectionSettings.KAFKA_OBSERVATIONS_TOPIC,
                    ConnectionSettings.KAFKA_CONTROL_TOPIC,
                    KAFKA_GROUP_ID,
                    ConnectionSettings.KAFKA_MAX_RECORD_BYTES,
                    ConnectionSettings.JDBC_URL,
                    JDBC_USER,
                    ConnectionSettings.JDBC_PASSWORD,
                    JDBC_WRITER_CONNECT_TIMEOUT_MS,
                    JDBC_WRITER_SOCKET_TIMEOUT_MS,
                    SNAPSHOT_INTERVAL_MS,
                    EVENT_TIME_OUT_OF_ORDERNESS_MS,
                    EVENT_TIME_IDLE_ADVANCE_MS,
                    TWINS_LEVELS,
                    WEBHOOK_TIMEOUT_MS,
                    WEBHOOK_MAX_ATTEMPTS,
                    WEBHOOK_INITIAL_BACKOFF_MS,
                    WEBHOOK_MAX_BACKOFF_MS,
                    WEBHOOK_MAX_IN_FLIGHT,
                    WEBHOOK_MAX_QUEUED,
                    WEBHOOK_BREAKER_FAILURES,
                    WEBHOOK_BREAKER_OPEN_MS);

    private TwinJobSettings() {}
}
