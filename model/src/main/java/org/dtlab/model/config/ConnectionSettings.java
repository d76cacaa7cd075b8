package org.dtlab.model.config;

import org.dtlab.model.Limits;

/**
 * The settings the twin job and the query service share: where Kafka and the journal database are.
 * Each program lists them with its own settings ({@code TwinJobSettings}, {@code
 * QueryServiceSettings}); {@code dtlab local} gives both programs the same value.
 */
public final class ConnectionSettings {

    public static final Setting<String> KAFKA_BOOTSTRAP =
            Setting.key("kafka.bootstrap")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("kafka-bootstrap")
                    .withDescription("The Kafka cluster: host:port[,host:port…].");

    public static final Setting<String> KAFKA_OBSERVATIONS_TOPIC =
            Setting.key("kafka.observations-topic")
                    .stringType()
                    .defaultValue("dtlab.observations")
                    .withDescription(
                            "The topic of observations (telemetry and per-twin commands), keyed"
                                    + " by twin path.");

    public static final Setting<String> KAFKA_CONTROL_TOPIC =
            Setting.key("kafka.control-topic")
                    .stringType()
                    .defaultValue("dtlab.control")
                    .withDescription(
                            "The compacted topic of control records: types, operators, webhooks,"
                                    + " ingest specs (docs/control-stream.md).");

    public static final Setting<Integer> KAFKA_MAX_RECORD_BYTES =
            Setting.key("kafka.max-record-bytes")
                    .intType()
                    .defaultValue(Limits.DEFAULT_MAX_RECORD_BYTES)
                    .atLeast(1)
                    .withDescription(
                            "The largest Kafka record, in bytes. The query service refuses to write"
                                + " a larger definition or command (413, nothing written); the twin"
                                + " job rejects a larger record it reads (a reject row). Give both"
                                + " the same value, so that nothing the API accepts is lost in the"
                                + " job.");

    public static final Setting<String> JDBC_URL =
            Setting.key("jdbc.url")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("jdbc-url")
                    .withDescription(
                            "The journal database: a jdbc:postgresql: or jdbc:h2: URL. Both"
                                    + " programs create the tables they need if they are missing.");

    public static final Setting<String> JDBC_PASSWORD =
            Setting.key("jdbc.password")
                    .stringType()
                    .defaultValue("")
                    .secret()
                    .withFileVariant()
                    .withDeprecatedKeys("jdbc-password")
                    .withDescription("The database password.");

    private ConnectionSettings() {}
}
