package org.dtlab.launcher.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code dtlab cluster} answers to what it cannot do: one line, exit code ≠ 0, nothing
 * started.
 */
class ClusterCommandTest {

    @Test
    void aTakenPortIsAOneLineError(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result result =
                    run(
                            "start",
                            "--dir",
                            dir.toString(),
                            "--port",
                            Integer.toString(taken.getLocalPort()));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err())
                    .contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use")
                    .doesNotContain("\tat ");
        }
        assertThat(new StandaloneCluster(new ClusterDirectory(dir), null).processes()).isEmpty();
    }

    @Test
    void commandsOnADirectoryWithoutAClusterSaySo(@TempDir Path dir) throws Exception {
        assertThat(run("status", "--dir", dir.toString()).exitCode()).isEqualTo(3);
        Result submit =
                run("submit", "--dir", dir.toString(), "--", "--kafka.bootstrap", "127.0.0.1:9092");
        assertThat(submit.exitCode()).isEqualTo(1);
        assertThat(submit.err()).contains("no cluster in");
        Result kill = run("kill", "--dir", dir.toString(), "taskmanager-1");
        assertThat(kill.exitCode()).isEqualTo(1);
        assertThat(kill.err()).contains("no process 'taskmanager-1'");
        assertThat(run("stop", "--dir", dir.toString()).exitCode()).isZero();
        assertThat(run("start", "--dir", dir.toString(), "--taskmanagers", "0").exitCode())
                .isEqualTo(1);
    }

    private record Result(int exitCode, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new ClusterCommand()).execute(args);
            return new Result(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
