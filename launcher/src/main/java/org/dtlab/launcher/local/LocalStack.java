package org.dtlab.launcher.local;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.dtlab.job.TwinJob;
import org.dtlab.job.config.TwinJobOptions;
import org.dtlab.kafka.EmbeddedKafkaBroker;
import org.dtlab.launcher.StartupException;
import org.dtlab.query.QueryService;
import org.dtlab.query.config.QueryServiceConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole system in one process: an embedded Kafka broker (unless one is given), the journal
 * database (embedded H2 unless a JDBC URL is given), the HTTP API, and the twin job on a Flink
 * MiniCluster with RocksDB and checkpoints under the data directory.
 *
 * <p>Stopping cancels the job and keeps its checkpoints; the next start on the same data directory
 * resumes from the newest one. A kill -9 takes the same path: Kafka holds every acknowledged
 * observation, the checkpoint holds the state and the offsets, and the sinks are idempotent.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final List<AutoCloseable> started = new ArrayList<>();
    private String apiUrl;
    private String flinkUiUrl;
    private String kafkaBootstrap;
    private String jdbcUrl;
    private JobSupervisor supervisor;
    private String exposureWarning;

    private LocalStack() {}

    /** Starts everything; {@code progress} hears one line per step. */
    public static LocalStack start(LocalSettings settings, Consumer<String> progress)
            throws Exception {
        LocalStack stack = new LocalStack();
        try {
            stack.run(settings, progress);
            return stack;
        } catch (Throwable e) {
            stack.close();
            throw e;
        }
    }

    private void run(LocalSettings s, Consumer<String> progress) throws Exception {
        Path data = s.dataDir().toAbsolutePath().normalize();
        Preflight.writableDirectory(data);
        started.add(DataDirectoryLock.acquire(data));
        Preflight.freePort(s.host(), s.port(), "--port");
        if (s.flinkUiPort() != 0) {
            Preflight.freePort("127.0.0.1", s.flinkUiPort(), "--flink-ui-port");
        }

        if (s.kafkaBootstrap() != null) {
            Preflight.kafka(s.kafkaBootstrap());
            kafkaBootstrap = s.kafkaBootstrap();
        } else {
            progress.accept("starting Kafka (embedded, data in " + data.resolve("kafka") + ")");
            int port = portIsFree(9092) ? 9092 : 0;
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(data.resolve("kafka"), port);
            started.add(broker);
            kafkaBootstrap = broker.bootstrapServers();
        }

        String user = s.jdbcUser() == null ? "" : s.jdbcUser();
        String password = s.jdbcPassword() == null ? "" : s.jdbcPassword();
        if (s.jdbcUrl() != null) {
            Preflight.database(s.jdbcUrl(), user, password);
            jdbcUrl = s.jdbcUrl();
        } else {
            Files.createDirectories(data.resolve("journal"));
            // WRITE_DELAY=0: a committed row is on disk before the commit returns. H2 otherwise
            // keeps up to 500 ms of commits in memory, which a kill -9 would lose after the job's
            // sinks (and its checkpoint) took them as written.
            jdbcUrl =
                    "jdbc:h2:file:"
                            + data.resolve("journal").resolve("dtlab")
                            + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
            user = "sa";
            password = "";
        }

        progress.accept("starting the HTTP API");
        List<String> apiArgs =
                new ArrayList<>(
                        List.of(
                                "--host",
                                s.host(),
                                "--port",
                                Integer.toString(s.port()),
                                "--jdbc.url",
                                jdbcUrl,
                                "--jdbc.user",
                                user,
                                "--jdbc.password",
                                password,
                                "--kafka.bootstrap",
                                kafkaBootstrap));
        if (s.authTokensFile() != null) {
            apiArgs.addAll(List.of("--auth.tokens-file", s.authTokensFile()));
        } else if (s.authTokens() != null && !s.authTokens().isBlank()) {
            apiArgs.addAll(List.of("--auth.tokens", s.authTokens()));
        }
        QueryServiceConfig apiConfig;
        try {
            apiConfig = QueryServiceConfig.fromArgs(apiArgs.toArray(String[]::new), Map.of());
        } catch (IllegalArgumentException e) {
            throw new StartupException(
                    e.getMessage().replace("--auth.tokens-file", "--auth-tokens-file"));
        }
        exposureWarning = exposureWarning(s.host(), apiConfig.tokens().isEmpty());
        QueryService service = QueryService.start(apiConfig);
        started.add(service);
        apiUrl = "http://" + s.host() + ":" + service.port() + "/dtlab-alligator";

        String jdbcUser = user;
        String jdbcPassword = password;
        JobClient first = launchJob(s, data, jdbcUser, jdbcPassword, progress);
        supervisor =
                JobSupervisor.start(
                        first,
                        () -> launchJob(s, data, jdbcUser, jdbcPassword, progress),
                        progress);
        started.add(supervisor);
        flinkUiUrl = s.flinkUiPort() != 0 ? "http://127.0.0.1:" + s.flinkUiPort() : null;
    }

    /** Submits the twin job on a new MiniCluster, from the newest checkpoint if there is one. */
    private JobClient launchJob(
            LocalSettings s, Path data, String user, String password, Consumer<String> progress)
            throws Exception {
        Configuration conf = flinkConfiguration(s, data);
        Optional<Path> resume = Checkpoints.newest(data.resolve("checkpoints"));
        if (resume.isPresent()) {
            progress.accept("resuming the twin job from " + data.relativize(resume.get()));
            conf.setString("execution.state-recovery.path", resume.get().toUri().toString());
            Checkpoints.removeAllBut(data.resolve("checkpoints"), resume.get());
        } else {
            progress.accept("starting the twin job");
        }
        StreamExecutionEnvironment env =
                s.flinkUiPort() != 0
                        ? StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf)
                        : StreamExecutionEnvironment.createLocalEnvironment(conf);
        TwinJob.assemble(
                env,
                TwinJobOptions.fromArgs(
                        new String[] {
                            "--kafka.bootstrap",
                            kafkaBootstrap,
                            "--jdbc.url",
                            jdbcUrl,
                            "--jdbc.user",
                            user,
                            "--jdbc.password",
                            password,
                            "--snapshot-interval-ms",
                            "200",
                            // One machine, one clock: when nothing is sent for 10 s event time
                            // follows the wall clock, so a door left open raises its alarm although
                            // nothing else happens.
                            "--event-time.idle-advance-ms",
                            "10000"
                        },
                        Map.of()));
        JobClient job = env.executeAsync("DT Lab twins (local)");
        try {
            awaitRunning(job);
        } catch (Exception e) {
            job.cancel();
            throw e;
        }
        return job;
    }

    /** The profile's template, with this run's directories and ports on top. */
    private static Configuration flinkConfiguration(LocalSettings s, Path data)
            throws IOException, StartupException {
        Path confDir = data.resolve("conf");
        Files.createDirectories(confDir);
        String template = "/flink-conf-templates/" + s.profile() + ".yaml";
        try (InputStream in = LocalStack.class.getResourceAsStream(template)) {
            if (in == null) {
                throw new StartupException(
                        "unknown profile '" + s.profile() + "': use local or pi");
            }
            Files.copy(
                    in,
                    confDir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Configuration conf = GlobalConfiguration.loadConfiguration(confDir.toString());
        conf.setString(
                "execution.checkpointing.dir", data.resolve("checkpoints").toUri().toString());
        conf.setString("rest.port", Integer.toString(s.flinkUiPort()));
        if (s.parallelism() != null) {
            conf.setString("parallelism.default", s.parallelism().toString());
        }
        return conf;
    }

    private static void awaitRunning(JobClient job) throws Exception {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            if (status == JobStatus.RUNNING) {
                return;
            }
            if (status.isGloballyTerminalState()) {
                job.getJobExecutionResult().get(10, TimeUnit.SECONDS); // throws the job's failure
                throw new StartupException("the twin job stopped while starting (" + status + ")");
            }
            Thread.sleep(100); // polling the job's status; there is no status callback to wait on
        }
        throw new StartupException(
                "the twin job did not start within " + START_TIMEOUT.toSeconds() + " s");
    }

    /**
     * A warning when the API is reachable from other machines and anyone there may call it: every
     * route writes or reads twins, and none asks who is calling unless tokens are configured.
     */
    static String exposureWarning(String host, boolean withoutTokens) {
        if (!withoutTokens) {
            return null;
        }
        try {
            if (InetAddress.getByName(host).isLoopbackAddress()) {
                return null;
            }
        } catch (UnknownHostException e) {
            // cannot tell: warn
        }
        return "WARNING: the API listens on "
                + host
                + " without authentication: anyone who can reach it can read and change every twin."
                + " Pass --auth-tokens (or DTLAB_AUTH_TOKENS, or --auth-tokens-file), or --host"
                + " 127.0.0.1.";
    }

    private static boolean portIsFree(int port) {
        try {
            Preflight.freePort("127.0.0.1", port, "");
            return true;
        } catch (StartupException e) {
            return false;
        }
    }

    public String apiUrl() {
        return apiUrl;
    }

    public Optional<String> flinkUiUrl() {
        return Optional.ofNullable(flinkUiUrl);
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The warning to show when the API is open to other machines without authentication. */
    public Optional<String> exposureWarning() {
        return Optional.ofNullable(exposureWarning);
    }

    /** Stops in reverse order of starting: the job (checkpoints kept), the API, the broker. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("dtlab local: while stopping: " + e.getMessage());
            }
        }
        started.clear();
    }
}
