package org.dtlab.launcher.local;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code dtlab local}'s options are the declared settings, in their dotted spelling; the dashed
 * spellings of earlier versions still work and are not shown.
 */
class LocalCommandTest {

    @Test
    void everySettingIsAnOptionInItsDottedSpelling() {
        LocalCommand command = new LocalCommand();
        new CommandLine(command)
                .parseArgs(
                        "--jdbc.url",
                        "jdbc:postgresql://db/twin",
                        "--stream.retention",
                        "5",
                        "--webhook.max-queued=100",
                        "--twins.levels",
                        "3",
                        "--data-dir",
                        "/tmp/d",
                        "--auth.tokens-file",
                        "/run/tokens");

        assertThat(command.arguments())
                .containsEntry("jdbc.url", "jdbc:postgresql://db/twin")
                .containsEntry("stream.retention", "5")
                .containsEntry("webhook.max-queued", "100")
                .containsEntry("twins.levels", "3")
                .containsEntry("data-dir", "/tmp/d")
                .containsEntry("auth.tokens-file", "/run/tokens");
    }

    @Test
    void theDashedSpellingsStillWorkUnderTheirDottedKeys() {
        LocalCommand command = new LocalCommand();
        new CommandLine(command)
                .parseArgs(
                        "--jdbc-url",
                        "jdbc:postgresql://db/twin",
                        "--jdbc-user",
                        "twin",
                        "--jdbc-password",
                        "pw",
                        "--kafka-bootstrap",
                        "k:9092",
                        "--auth-tokens",
                        "t1",
                        "--auth-tokens-file",
                        "/run/tokens");

        assertThat(command.arguments())
                .containsEntry("jdbc.url", "jdbc:postgresql://db/twin")
                .containsEntry("jdbc.user", "twin")
                .containsEntry("jdbc.password", "pw")
                .containsEntry("kafka.bootstrap", "k:9092")
                .containsEntry("auth.tokens", "t1")
                .containsEntry("auth.tokens-file", "/run/tokens");
    }

    @Test
    void theHelpShowsTheDottedSpellingsOnly() {
        String usage = new CommandLine(new LocalCommand()).getUsageMessage();

        assertThat(usage)
                .contains(
                        "--jdbc.url",
                        "--kafka.bootstrap",
                        "--auth.tokens-file",
                        "--stream.max-streams",
                        "--webhook.breaker-open-ms",
                        "--data-dir",
                        "DTLAB_STREAM_MAX_STREAMS")
                .doesNotContain("--jdbc-url", "--kafka-bootstrap", "--auth-tokens");
    }

    @Test
    void aMisspelledSettingIsRefused() {
        assertThatThrownBy(
                        () ->
                                new CommandLine(new LocalCommand())
                                        .parseArgs("--stream.retenion", "5"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    }
}
