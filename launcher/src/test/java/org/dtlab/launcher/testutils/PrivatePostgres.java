package org.dtlab.launcher.testutils;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own (initdb on a temporary directory, a free port), so that the
 * test can stop and start it without touching the shared server the other suites use. Run as the
 * {@code postgres} user when the test runs as root (PostgreSQL refuses to run as root).
 */
public final class PrivatePostgres implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;
    private boolean running;

    private PrivatePostgres(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Creates and starts a server; skipped with -Ddtlab.test.postgres=skip, failing if PostgreSQL
     * is not installed.
     */
    public static PrivatePostgres start() throws Exception {
        Assumptions.assumeFalse(
                "skip".equals(System.getProperty("dtlab.test.postgres")),
                "PostgreSQL tests skipped on request (-Ddtlab.test.postgres=skip)");
        Path bin =
                binaries()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "initdb and pg_ctl not found (on the PATH or under"
                                                        + " /usr/lib/postgresql/*/bin): install the"
                                                        + " 'postgresql' package, or pass"
                                                        + " -Ddtlab.test.postgres=skip"));
        Path dir = Files.createTempDirectory("dtlab-chaos-pg");
        if (isRoot()) {
            Files.setOwner(
                    dir,
                    dir.getFileSystem()
                            .getUserPrincipalLookupService()
                            .lookupPrincipalByName("postgres"));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        PrivatePostgres pg = new PrivatePostgres(bin, dir, freePort());
        pg.run(
                "initdb",
                "-D",
                pg.data().toString(),
                "-A",
                "trust",
                "-U",
                "twin",
                "-E",
                "UTF8",
                "--no-sync");
        pg.startServer();
        return pg;
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "twin";
    }

    /** A fast shutdown, as {@code pg_ctlcluster … stop} does: open connections are ended. */
    public void stopServer() throws Exception {
        run("pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "-t", "60", "stop");
        running = false;
    }

    public void startServer() throws Exception {
        run(
                "pg_ctl",
                "-D",
                data().toString(),
                "-w",
                "-t",
                "60",
                "-l",
                dir.resolve("server.log").toString(),
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start");
        running = true;
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void run(String program, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static Optional<Path> binaries() throws IOException {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!p.isEmpty()
                    && Files.isExecutable(Path.of(p, "pg_ctl"))
                    && Files.isExecutable(Path.of(p, "initdb"))) {
                return Optional.of(Path.of(p, "pg_ctl").toRealPath().getParent());
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(
                            Comparator.comparing(
                                    b -> b.getParent().getFileName().toString(),
                                    Comparator.comparingDouble(PrivatePostgres::version)));
        }
    }

    private static double version(String name) {
        try {
            return Double.parseDouble(name);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (running) {
                stopServer();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
