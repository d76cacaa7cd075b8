package org.dtlab.launcher.backtest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dtlab backtest} spells its database options as the settings do; old spellings work; a
 * {@code --cluster} that is no REST address is a one-line error.
 */
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

    @Test
    void aClusterIsAFlinkRestAddressThatAnswers(@TempDir Path dir) throws Exception {
        Path specs = Files.writeString(dir.resolve("specs.json"), "[]");
        Path input = Files.writeString(dir.resolve("archive.ndjson"), "");
        Path out = dir.resolve("out");
        for (String bad : new String[] {"nonsense", "127.0.0.1:8081", "ftp://h:1", "http://h"}) {
            assertThat(errorOf(specs, input, out, bad))
                    .as(bad)
                    .isEqualTo(
                            "dtlab backtest: --cluster takes a Flink REST address such as"
                                    + " http://127.0.0.1:8081, got '"
                                    + bad
                                    + "'"
                                    + System.lineSeparator());
        }
        String nobody;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = "http://127.0.0.1:" + closed.getLocalPort();
        }
        assertThat(errorOf(specs, input, out, nobody))
                .startsWith("dtlab backtest: no Flink cluster answers at " + nobody + ": ")
                .hasLineCount(1);
        assertThat(out).doesNotExist();
    }

    /** What {@code dtlab backtest --cluster <cluster>} prints on stderr, having exited with 1. */
    private static String errorOf(Path specs, Path input, Path out, String cluster) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(
                            new CommandLine(new BacktestCommand())
                                    .execute(
                                            "--specs",
                                            specs.toString(),
                                            "--input",
                                            input.toString(),
                                            "--out",
                                            out.toString(),
                                            "--cluster",
                                            cluster))
                    .as(cluster)
                    .isEqualTo(1);
        } finally {
            System.setErr(before);
        }
        return err.toString(StandardCharsets.UTF_8);
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
