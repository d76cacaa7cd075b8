package org.dtlab.connectors.journal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class JournalOptionsTest {

    private static final String H2 = "jdbc:h2:mem:journal";

    @Test
    void theDefaultsAreBatchesOf500Every200MsWith3RetriesAndBoundedWaits() {
        JournalOptions options = JournalOptions.of(H2, "sa", "");

        assertThat(options)
                .isEqualTo(new JournalOptions(H2, "sa", "", 500, 200, 3, 10_000, 60_000))
                .isEqualTo(
                        JournalOptions.builder().setUrl(H2).setUser("sa").setPassword("").build());
        assertThat(options.postgres()).isFalse();
        assertThat(options.driverName()).isEqualTo("org.h2.Driver");
    }

    @Test
    void theBuilderSetsEachSetting() {
        JournalOptions options =
                JournalOptions.builder()
                        .setUrl("jdbc:postgresql://db/twin")
                        .setUser("twin")
                        .setPassword("secret")
                        .setBatchSize(10)
                        .setBatchIntervalMs(0)
                        .setMaxRetries(0)
                        .setConnectTimeoutMs(2_000)
                        .setSocketTimeoutMs(3_000)
                        .build();

        assertThat(options)
                .isEqualTo(
                        new JournalOptions(
                                "jdbc:postgresql://db/twin",
                                "twin",
                                "secret",
                                10,
                                0,
                                0,
                                2_000,
                                3_000));
        assertThat(options.postgres()).isTrue();
    }

    @Test
    void eachInvalidSettingIsNamed() {
        assertThatThrownBy(() -> JournalOptions.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("url is required");
        assertThatThrownBy(() -> JournalOptions.of("jdbc:mysql://db/twin", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://db/twin");
        assertThatThrownBy(() -> JournalOptions.builder().setUrl(H2).setBatchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be at least 1, got 0");
        assertThatThrownBy(() -> JournalOptions.builder().setUrl(H2).setBatchIntervalMs(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchIntervalMs must be 0 or more, got -1");
        assertThatThrownBy(() -> JournalOptions.builder().setUrl(H2).setMaxRetries(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetries must be 0 or more, got -1");
        assertThatThrownBy(() -> JournalOptions.builder().setUrl(H2).setConnectTimeoutMs(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeoutMs must be at least 1, got 0");
        assertThatThrownBy(() -> JournalOptions.builder().setUrl(H2).setSocketTimeoutMs(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("socketTimeoutMs must be at least 1, got 0");
    }

    @Test
    void postgresConnectionsGetTheTimeoutsInWholeSecondsRoundedUp() {
        JournalOptions options =
                JournalOptions.builder()
                        .setUrl("jdbc:postgresql://db/twin")
                        .setUser("twin")
                        .setPassword("secret")
                        .setConnectTimeoutMs(1_500)
                        .setSocketTimeoutMs(1)
                        .build();

        assertThat(options.connectionProperties())
                .containsOnly(
                        entry("user", "twin"),
                        entry("password", "secret"),
                        entry("connectTimeout", "2"),
                        entry("loginTimeout", "2"),
                        entry("socketTimeout", "1"));
    }

    @Test
    void anEmbeddedH2GetsNoTimeouts() {
        assertThat(JournalOptions.of(H2, "sa", "").connectionProperties())
                .containsOnly(entry("user", "sa"), entry("password", ""));
    }
}
