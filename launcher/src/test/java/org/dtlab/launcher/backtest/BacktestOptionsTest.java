package org.dtlab.launcher.backtest;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dtlab backtest} spells its database options as the settings do; old spellings work. */
class BacktestOptionsTest {

    private static final String[] REQUIRED = {"--specs", "s.json", "--input", "in", "--out", "out"};

    @Test
    void theDatabaseOptionsAreDotted() {
        BacktestCommand command = parse("--jdbc.url", "jdbc:h2:mem:b", "--jdbc.user", "twin");

        assertThat(command.jdbcUrl).isEqualTo("jdbc:h2:mem:b");
        assertThat(command.jdbcUser).isEqualTo("twin");
        assertThat(new CommandLine(new BacktestCommand()).getUsageMessage())
                .contains("--jdbc.url", "--jdbc.user", "--jdbc.password")
                .doesNotContain("--jdbc-url", "--jdbc-user", "--jdbc-password");
    }

    @Test
    void theDashedSpellingsStillWork() {
        BacktestCommand command =
                parse(
                        "--jdbc-url",
                        "jdbc:h2:mem:b",
                        "--jdbc-user",
                        "twin",
                        "--jdbc-password",
                        "pw");

        assertThat(command.jdbcUrl).isEqualTo("jdbc:h2:mem:b");
        assertThat(command.jdbcUser).isEqualTo("twin");
        assertThat(command.jdbcPassword).isEqualTo("pw");
        assertThat(parse().jdbcUser).as("the default").isEmpty();
    }

    private static BacktestCommand parse(String... args) {
        BacktestCommand command = new BacktestCommand();
        String[] all = new String[REQUIRED.length + args.length];
        System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
        System.arraycopy(args, 0, all, REQUIRED.length, args.length);
        new CommandLine(command).parseArgs(all);
        return command;
    }
}
