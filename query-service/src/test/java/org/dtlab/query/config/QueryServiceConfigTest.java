package org.dtlab.query.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The query service reads its settings from program arguments, then the environment. */
class QueryServiceConfigTest {

    private static final String[] REQUIRED = {
        "--jdbc.url", "jdbc:h2:mem:q", "--kafka.bootstrap", "k:9092"
    };

    @Test
    void theDefaultsAreTheServicesDefaults() {
        QueryServiceConfig config = QueryServiceConfig.fromArgs(REQUIRED, Map.of());

        assertThat(config)
                .isEqualTo(
                        new QueryServiceConfig(
                                8081,
                                "127.0.0.1",
                                "/dtlab-alligator",
                                "jdbc:h2:mem:q",
                                "",
                                "",
                                "k:9092",
                                "dtlab.observations",
                                "dtlab.control",
                                4,
                                1024 * 1024,
                                Set.of(),
                                10_000,
                                256 * 1024,
                                30_000,
                                60_000,
                                64,
                                2_000,
                                10_000,
                                5_000,
                                new QueryServiceConfig.StreamSettings(
                                        200, 10_000, 10_000, 10_000, 15_000)));
    }

    @Test
    void argumentsBeatTheEnvironment(@TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "# ops\nt1\n\nt2\n");

        QueryServiceConfig config =
                QueryServiceConfig.fromArgs(
                        new String[] {
                            "--jdbc.url", "jdbc:h2:mem:q",
                            "--kafka.bootstrap", "k:9092",
                            "--stream.retention", "7"
                        },
                        Map.of(
                                "DTLAB_STREAM_RETENTION", "8",
                                "DTLAB_STREAM_MAX_STREAMS", "9",
                                "DTLAB_AUTH_TOKENS_FILE", tokens.toString(),
                                "DTLAB_AUTH_TOKENS", "ignored"));

        assertThat(config.stream().retention()).isEqualTo(7);
        assertThat(config.stream().maxStreams()).isEqualTo(9);
        assertThat(config.tokens()).containsExactlyInAnyOrder("t1", "t2");
    }

    @Test
    void errorsNameTheFlagAndTheVariable() {
        assertThatThrownBy(() -> QueryServiceConfig.fromArgs(new String[0], Map.of()))
                .hasMessage("missing --jdbc.url (or the environment variable DTLAB_JDBC_URL)");
        assertThatThrownBy(
                        () ->
                                QueryServiceConfig.fromArgs(
                                        REQUIRED, Map.of("DTLAB_STREAM_MAX_STREAMS", "0")))
                .hasMessage(
                        "DTLAB_STREAM_MAX_STREAMS (--stream.max-streams) must be a whole number"
                                + " at least 1, got 0");
        assertThatThrownBy(
                        () -> QueryServiceConfig.fromArgs(new String[] {"--port", "80a"}, Map.of()))
                .hasMessage(
                        "--port (DTLAB_PORT) must be a whole number from 0 to 65535, got '80a'");
    }
}
