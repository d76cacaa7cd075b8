package org.dtlab.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import org.dtlab.connectors.kafka.KafkaOptions;
import org.dtlab.connectors.webhook.WebhookOptions;
import org.dtlab.job.TwinJob;
import org.dtlab.model.config.Setting;
import org.dtlab.model.telemetry.TwinPath;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The twin job reads its settings from program arguments, the environment and its Flink
 * configuration, in that order.
 */
class TwinJobOptionsTest {

    private static final String[] REQUIRED = {
        "--kafka.bootstrap", "k:9092", "--jdbc.url", "jdbc:h2:mem:job", "--jdbc.user", "sa"
    };

    @Test
    void theDefaultsAreTheJobsDefaults() {
        TwinJobOptions options = TwinJobOptions.fromArgs(REQUIRED, Map.of());

        assertThat(options.kafka()).isEqualTo(KafkaOptions.of("k:9092"));
        assertThat(options.journal().url()).isEqualTo("jdbc:h2:mem:job");
        assertThat(options.journal().password()).isEmpty();
        assertThat(options.journal().connectTimeoutMs()).isEqualTo(10_000);
        assertThat(options.journal().socketTimeoutMs()).isEqualTo(60_000);
        assertThat(options.webhooks()).isEqualTo(WebhookOptions.defaults());
        assertThat(options.snapshotIntervalMs()).isEqualTo(500);
        assertThat(options.eventTime()).isEqualTo(EventTimeOptions.observationsOnly());
        assertThat(options.levels()).isEqualTo(TwinPath.MAX_LEVELS);
    }

    @Test
    void theFlinkConfigurationGivesWhatNeitherArgumentsNorEnvironmentGive() {
        Configuration flink = new Configuration();
        flink.set(FlinkConfigurationSource.option(TwinJobSettings.TWINS_LEVELS), 3);
        flink.setString("dtlab.webhook.max-in-flight", "4");
        flink.setString("dtlab.snapshot-interval-ms", "100");
        flink.setString("dtlab.kafka.bootstrap", "from-flink:9092");
        flink.setString("dtlab.jdbc.writer.socket-timeout-ms", "30000");

        TwinJobOptions options =
                TwinJobOptions.read(
                        new String[] {
                            "--jdbc.url",
                            "jdbc:h2:mem:job",
                            "--jdbc.user",
                            "sa",
                            "--snapshot-interval-ms",
                            "50"
                        },
                        Map.of("DTLAB_WEBHOOK_MAX_IN_FLIGHT", "2"),
                        flink);

        assertThat(options.levels()).isEqualTo(3);
        assertThat(options.kafka().bootstrapServers()).isEqualTo("from-flink:9092");
        assertThat(options.webhooks().maxInFlightPerWebhook()).as("environment").isEqualTo(2);
        assertThat(options.snapshotIntervalMs()).as("argument").isEqualTo(50);
        assertThat(options.journal().socketTimeoutMs()).isEqualTo(30_000);
    }

    @Test
    void errorsNameTheSettingAsTheUserGaveIt() {
        assertThatThrownBy(
                        () ->
                                TwinJobOptions.read(
                                        new String[] {"--jdbc.url", "jdbc:h2:mem:job"},
                                        Map.of(),
                                        new Configuration()))
                .hasMessage(
                        "missing --kafka.bootstrap (or the environment variable"
                                + " DTLAB_KAFKA_BOOTSTRAP, or dtlab.kafka.bootstrap in the Flink"
                                + " configuration)");
        Configuration flink = new Configuration();
        flink.setString("dtlab.twins.levels", "deep");
        assertThatThrownBy(() -> TwinJobOptions.read(REQUIRED, Map.of(), flink))
                .hasMessage(
                        "dtlab.twins.levels in the Flink configuration must be a whole number"
                                + " from 1 to 10, got 'deep'");
        assertThatThrownBy(
                        () ->
                                TwinJobOptions.fromArgs(
                                        REQUIRED, Map.of("DTLAB_WEBHOOK_MAX_ATTEMPTS", "-1")))
                .hasMessage(
                        "DTLAB_WEBHOOK_MAX_ATTEMPTS (--webhook.max-attempts) must be a whole"
                                + " number at least 1, got -1");
        assertThatThrownBy(
                        () ->
                                TwinJobOptions.fromArgs(
                                        new String[] {"--stream.retention", "5"}, Map.of()))
                .as("a query-service setting is not the job's")
                .hasMessageStartingWith("unknown setting --stream.retention");
    }

    @Test
    void theJobRequiresRocksDbIncrementalCheckpointsAndNoKryo() {
        assertThat(TwinJob.requiredConfiguration().toMap())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "state.backend.type", "rocksdb",
                                "execution.checkpointing.incremental", "true",
                                "pipeline.generic-types", "false"));
    }

    @Test
    void everySettingIsAFlinkConfigOptionUnderDtlab() {
        for (Setting<?> setting : TwinJobSettings.ALL) {
            ConfigOption<?> option = FlinkConfigurationSource.option(setting);
            assertThat(option.key()).isEqualTo("dtlab." + setting.key());
            assertThat(option.hasDefaultValue()).isEqualTo(setting.hasDefaultValue());
            assertThat(option.description().toString()).isNotBlank();
        }
    }
}
