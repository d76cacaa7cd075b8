package org.dtlab.connectors.journal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalOptionsTest {

    private static final String H2 = "jdbc:h2:mem:journal";

    @Test
    void theDefaultsAreBatchesOf500Every200MsWith3Retries() {
        JournalOptions options = JournalOptions.of(H2, "sa", "");

        assertThat(options)
                .isEqualTo(new JournalOptions(H2, "sa", "", 500, 200, 3))
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
                        .build();

        assertThat(options)
                .isEqualTo(
                        new JournalOptions(
                                "jdbc:postgresql://db/twin", "twin", "secret", 10, 0, 0));
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
    }
}
