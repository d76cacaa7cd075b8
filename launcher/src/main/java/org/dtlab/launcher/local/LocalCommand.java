package org.dtlab.launcher.local;

import org.dtlab.launcher.StartupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code dtlab local}: the whole system in this process, until Ctrl-C or SIGTERM. */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        description = {
            "Runs DT Lab in one process: an embedded Kafka broker, the twin job on a Flink"
                    + " MiniCluster (RocksDB, checkpoints under the data directory), the journal"
                    + " database (embedded H2 unless --jdbc-url) and the HTTP API.",
            "Prints a line starting with 'DT Lab ready' when everything serves. Ctrl-C stops it;"
                    + " starting again on the same data directory resumes where it stopped."
        })
public final class LocalCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            defaultValue = "8081",
            description = "HTTP API port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "HTTP API bind address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--data-dir",
            defaultValue = "./data",
            description =
                    "Where Kafka, the database, checkpoints and logs live (default:"
                            + " ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--jdbc-url",
            description =
                    "Use this PostgreSQL database instead of the embedded H2, e.g."
                            + " jdbc:postgresql://127.0.0.1:5432/twin.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", description = "Database user (with --jdbc-url).")
    String jdbcUser;

    @Option(
            names = "--jdbc-password",
            description = "Database password (with --jdbc-url; or DTLAB_JDBC_PASSWORD).")
    String jdbcPassword;

    @Option(
            names = "--kafka-bootstrap",
            description = "Use this Kafka cluster (host:port) instead of the embedded broker.")
    String kafkaBootstrap;

    @Option(
            names = "--flink-ui-port",
            defaultValue = "8082",
            description = "Flink web UI port (default: ${DEFAULT-VALUE}; 0 = no web UI).")
    int flinkUiPort;

    @Option(
            names = "--profile",
            defaultValue = "local",
            description =
                    "Flink configuration: local, or pi for a 1 GB board (default:"
                            + " ${DEFAULT-VALUE}).")
    String profile;

    @Option(
            names = "--parallelism",
            description = "Parallelism of the twin job (default: the profile's).")
    Integer parallelism;

    @Option(
            names = "--auth-tokens",
            description =
                    "Bearer tokens that may call the API, comma-separated (or DTLAB_AUTH_TOKENS);"
                            + " none = no authentication.")
    String authTokens;

    @Option(
            names = "--auth-tokens-file",
            description = "A file of bearer tokens, one a line (or DTLAB_AUTH_TOKENS_FILE).")
    String authTokensFile;

    @Override
    public Integer call() throws Exception {
        String password =
                jdbcPassword != null ? jdbcPassword : System.getenv("DTLAB_JDBC_PASSWORD");
        LocalSettings settings =
                new LocalSettings(
                        host,
                        port,
                        dataDir,
                        jdbcUrl,
                        jdbcUser,
                        password,
                        kafkaBootstrap,
                        flinkUiPort,
                        profile,
                        parallelism,
                        authTokens != null ? authTokens : System.getenv("DTLAB_AUTH_TOKENS"),
                        authTokensFile != null
                                ? authTokensFile
                                : System.getenv("DTLAB_AUTH_TOKENS_FILE"));
        long started = System.nanoTime();
        LocalStack stack;
        try {
            stack = LocalStack.start(settings, step -> System.out.println("dtlab local: " + step));
        } catch (StartupException e) {
            System.err.println("dtlab local: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println(
                                            "dtlab local: stopping (checkpoints are kept; start"
                                                    + " again to resume)");
                                    stack.close();
                                    stopped.countDown();
                                },
                                "dtlab-local-shutdown"));
        System.out.printf(
                "DT Lab ready in %.1f s: API %s%s · Kafka %s · journal %s · data %s%n",
                (System.nanoTime() - started) / 1e9,
                stack.apiUrl(),
                stack.flinkUiUrl().map(url -> " · Flink UI " + url).orElse(""),
                stack.kafkaBootstrap(),
                stack.jdbcUrl().replaceAll("password=[^;&]*", "password=***"),
                dataDir.toAbsolutePath().normalize());
        System.out.flush();
        stack.exposureWarning().ifPresent(warning -> System.err.println("dtlab local: " + warning));
        stopped.await();
        return 0;
    }
}
