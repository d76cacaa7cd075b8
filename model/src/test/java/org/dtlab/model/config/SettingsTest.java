package org.dtlab.model.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading settings: one precedence, one spelling, errors that name the setting. */
class SettingsTest {

    private static final Setting<String> URL =
            Setting.key("jdbc.url")
                    .stringType()
                    .noDefaultValue()
                    .withDeprecatedKeys("jdbc-url")
                    .withDescription("the database");

    private static final Setting<String> PASSWORD =
            Setting.key("jdbc.password")
                    .stringType()
                    .defaultValue("")
                    .secret()
                    .withFileVariant()
                    .withDescription("the password");

    private static final Setting<Integer> LEVELS =
            Setting.key("twins.levels")
                    .intType()
                    .defaultValue(10)
                    .between(1, 10)
                    .withDescription("levels");

    private static final List<Setting<?>> DECLARED = List.of(URL, PASSWORD, LEVELS);

    @Test
    void anArgumentBeatsTheEnvironmentWhichBeatsAFallbackWhichBeatsTheDefault() {
        Settings settings =
                Settings.fromArgs(
                                new String[] {"--jdbc.url", "jdbc:h2:mem:args"},
                                Map.of(
                                        "DTLAB_JDBC_URL", "jdbc:h2:mem:env",
                                        "DTLAB_TWINS_LEVELS", "3"),
                                DECLARED)
                        .withFallback(
                                SettingSource.values(
                                        "test", Map.of(LEVELS, 2, PASSWORD, "fallback")));

        assertThat(settings.get(URL)).isEqualTo("jdbc:h2:mem:args");
        assertThat(settings.get(LEVELS)).isEqualTo(3);
        assertThat(settings.get(PASSWORD)).isEqualTo("fallback");
        assertThat(Settings.of().get(LEVELS)).isEqualTo(10);
        assertThat(Settings.of().optional(URL)).isEmpty();
    }

    @Test
    void aBlankValueCountsAsNone() {
        Settings settings =
                Settings.fromArgs(
                        new String[] {"--twins.levels", " "},
                        Map.of("DTLAB_TWINS_LEVELS", "4"),
                        DECLARED);

        assertThat(settings.get(LEVELS)).isEqualTo(4);
    }

    @Test
    void aMissingSettingIsNamedAsEverySourceSpellsIt() {
        Settings settings = Settings.fromArgs(new String[0], Map.of(), DECLARED);

        assertThatThrownBy(() -> settings.get(URL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing --jdbc.url (or the environment variable DTLAB_JDBC_URL)");
    }

    @Test
    void aMalformedValueIsNamedByItsFlagAndItsVariable() {
        assertThatThrownBy(
                        () ->
                                Settings.fromArgs(
                                                new String[] {"--twins.levels", "many"},
                                                Map.of(),
                                                DECLARED)
                                        .get(LEVELS))
                .hasMessage(
                        "--twins.levels (DTLAB_TWINS_LEVELS) must be a whole number from 1 to 10,"
                                + " got 'many'");
        assertThatThrownBy(
                        () ->
                                Settings.fromArgs(
                                                new String[0],
                                                Map.of("DTLAB_TWINS_LEVELS", "11"),
                                                DECLARED)
                                        .get(LEVELS))
                .hasMessage(
                        "DTLAB_TWINS_LEVELS (--twins.levels) must be a whole number from 1 to 10,"
                                + " got 11");
    }

    @Test
    void anUnknownOrIncompleteArgumentIsRefused() {
        assertThatThrownBy(
                        () -> SettingSource.arguments(new String[] {"--jdbc.ulr", "x"}, DECLARED))
                .hasMessageStartingWith("unknown setting --jdbc.ulr");
        assertThatThrownBy(() -> SettingSource.arguments(new String[] {"--jdbc.url"}, DECLARED))
                .hasMessage("--jdbc.url needs a value");
        assertThatThrownBy(() -> SettingSource.arguments(new String[] {"jdbc.url", "x"}, DECLARED))
                .hasMessage("expected --key value pairs, got 'jdbc.url'");
    }

    @Test
    void aDeprecatedSpellingStillWorks() {
        Settings settings =
                Settings.fromArgs(
                        new String[] {"--jdbc-url", "jdbc:h2:mem:old"}, Map.of(), DECLARED);

        assertThat(settings.get(URL)).isEqualTo("jdbc:h2:mem:old");
    }

    @Test
    void aFileVariantBeatsThePlainValueOfItsSource(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("db"), "s3cret\n");

        assertThat(
                        Settings.fromArgs(
                                        new String[] {
                                            "--jdbc.password",
                                            "plain",
                                            "--jdbc.password-file",
                                            secret.toString()
                                        },
                                        Map.of(),
                                        DECLARED)
                                .get(PASSWORD))
                .isEqualTo("s3cret");
        assertThat(
                        Settings.fromArgs(
                                        new String[] {"--jdbc.password", "plain"},
                                        Map.of("DTLAB_JDBC_PASSWORD_FILE", secret.toString()),
                                        DECLARED)
                                .get(PASSWORD))
                .as("an argument beats the environment's file")
                .isEqualTo("plain");
        assertThatThrownBy(
                        () ->
                                Settings.fromArgs(
                                                new String[0],
                                                Map.of(
                                                        "DTLAB_JDBC_PASSWORD_FILE",
                                                        dir.resolve("none").toString()),
                                                DECLARED)
                                        .get(PASSWORD))
                .hasMessageStartingWith(
                        "cannot read DTLAB_JDBC_PASSWORD_FILE (--jdbc.password-file) ");
    }

    @Test
    void aKeyIsSpelledThreeWays() {
        Setting<Integer> setting =
                Setting.key("event-time.idle-advance-ms").intType().defaultValue(0);

        assertThat(setting.flag()).isEqualTo("--event-time.idle-advance-ms");
        assertThat(setting.environmentVariable()).isEqualTo("DTLAB_EVENT_TIME_IDLE_ADVANCE_MS");
        assertThat(setting.flinkKey()).isEqualTo("dtlab.event-time.idle-advance-ms");
        assertThatThrownBy(() -> Setting.key("Twins_Levels"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Setting.key("x").intType().defaultValue(0).atLeast(1))
                .hasMessage("x's default must be a whole number at least 1, got 0");
    }
}
