package org.dtlab.launcher.local;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.dtlab.job.TwinJob;
import org.dtlab.job.config.TwinJobOptions;
import org.dtlab.kafka.EmbeddedKafkaBroker;
import org.dtlab.launcher.StartupException;
import org.dtlab.model.config.ConnectionSettings;
import org.dtlab.model.config.Setting;
import org.dtlab.model.config.SettingSource;
import org.dtlab.model.config.Settings;
import org.dtlab.query.QueryService;
import org.dtlab.query.config.QueryServiceConfig;
import org.dtlab.query.config.QueryServiceSettings;

import javax.annotation.Nullable;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.dtlab.launcher.local.LocalSettings.CHANGED_DEFAULTS;
import static org.dtlab.launcher.local.LocalSettings.DATA_DIR;
import static org.dtlab.launcher.local.LocalSettings.FLINK_UI_PORT;
import static org.dtlab.launcher.local.LocalSettings.PARALLELISM;
import static org.dtlab.launcher.local.LocalSettings.PROFILE;

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
    private QueryServiceConfig queryServiceConfig;
    private Path dataDirectory;

    private LocalStack() {}

    /**
     * Starts everything; {@code progress} hears one line per step.
     *
     * @param settings the user's settings (program arguments, environment): those of {@link
     *     LocalSettings}, the query service's and the twin job's
     * @throws StartupException with a one-line reason, for a setting that is wrong or a part that
     *     does not start
     */
    public static LocalStack start(Settings settings, Consumer<String> progress) throws Exception {
        LocalStack stack = new LocalStack();
        try {
            stack.run(
                    settings.withFallback(SettingSource.values("dtlab local", CHANGED_DEFAULTS)),
                    progress);
            return stack;
        } catch (Throwable e) {
            stack.close();
            throw e;
        }
    }

    private void run(Settings settings, Consumer<String> progress) throws Exception {
        // Every setting is read and checked before anything starts.
        Path data;
        String profile;
        int flinkUiPort;
        Integer parallelism;
        Optional<String> givenKafka;
        Optional<String> givenJdbcUrl;
        try {
            data = Path.of(settings.get(DATA_DIR)).toAbsolutePath().normalize();
            profile = settings.get(PROFILE);
            flinkUiPort = settings.get(FLINK_UI_PORT);
            parallelism = settings.optional(PARALLELISM).orElse(null);
            givenKafka = settings.optional(ConnectionSettings.KAFKA_BOOTSTRAP);
            givenJdbcUrl = settings.optional(ConnectionSettings.JDBC_URL);
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
        if (LocalStack.class.getResource(template(profile)) == null) {
            throw new StartupException("unknown profile '" + profile + "': use local or pi");
        }
        Map<Setting<?>, Object> embedded = new HashMap<>();
        int embeddedKafkaPort = 0;
        if (givenKafka.isEmpty()) {
            embeddedKafkaPort = portIsFree(9092) ? 9092 : EmbeddedKafkaBroker.freePort();
            embedded.put(ConnectionSettings.KAFKA_BOOTSTRAP, "127.0.0.1:" + embeddedKafkaPort);
        }
        if (givenJdbcUrl.isEmpty()) {
            // WRITE_DELAY=0: a committed row is on disk before the commit returns. H2 otherwise
            // keeps up to 500 ms of commits in memory, which a kill -9 would lose after the job's
            // sinks (and its checkpoint) took them as written.
            embedded.put(
                    ConnectionSettings.JDBC_URL,
                    "jdbc:h2:file:"
                            + data.resolve("journal").resolve("dtlab")
                            + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
            // The query service's jdbc.user stands for the job's too (one key, one value).
            embedded.put(QueryServiceSettings.JDBC_USER, "sa");
            embedded.put(ConnectionSettings.JDBC_PASSWORD, "");
        }
        Settings resolved = settings.overriddenBy(SettingSource.values("dtlab local", embedded));
        QueryServiceConfig apiConfig;
        TwinJobOptions jobOptions;
        try {
            apiConfig = QueryServiceConfig.from(resolved);
            jobOptions = TwinJobOptions.from(resolved);
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
        queryServiceConfig = apiConfig;
        dataDirectory = data;

        Preflight.writableDirectory(data);
        started.add(DataDirectoryLock.acquire(data));
        Preflight.freePort(apiConfig.host(), apiConfig.port(), "--port");
        if (flinkUiPort != 0) {
            Preflight.freePort("127.0.0.1", flinkUiPort, "--flink-ui-port");
        }

        if (givenKafka.isPresent()) {
            Preflight.kafka(apiConfig.kafkaBootstrap());
        } else {
            progress.accept("starting Kafka (embedded, data in " + data.resolve("kafka") + ")");
            started.add(EmbeddedKafkaBroker.start(data.resolve("kafka"), embeddedKafkaPort));
        }
        kafkaBootstrap = apiConfig.kafkaBootstrap();

        if (givenJdbcUrl.isPresent()) {
            Preflight.database(apiConfig.jdbcUrl(), apiConfig.jdbcUser(), apiConfig.jdbcPassword());
        } else {
            Files.createDirectories(data.resolve("journal"));
        }
        jdbcUrl = apiConfig.jdbcUrl();

        progress.accept("starting the HTTP API");
        exposureWarning = exposureWarning(apiConfig.host(), apiConfig.tokens().isEmpty());
        QueryService service = QueryService.start(apiConfig);
        started.add(service);
        apiUrl = "http://" + apiConfig.host() + ":" + service.port() + apiConfig.prefix();

        JobLaunch launch = new JobLaunch(data, profile, flinkUiPort, parallelism, jobOptions);
        JobClient first = launchJob(launch, progress);
        supervisor = JobSupervisor.start(first, () -> launchJob(launch, progress), progress);
        started.add(supervisor);
        flinkUiUrl = flinkUiPort != 0 ? "http://127.0.0.1:" + flinkUiPort : null;
    }

    /** What every launch of the twin job runs with. */
    private record JobLaunch(
            Path data,
            String profile,
            int flinkUiPort,
            @Nullable Integer parallelism,
            TwinJobOptions options) {}

    /** Submits the twin job on a new MiniCluster, from the newest checkpoint if there is one. */
    private static JobClient launchJob(JobLaunch launch, Consumer<String> progress)
            throws Exception {
        Path data = launch.data();
        Configuration conf = flinkConfiguration(launch);
        Optional<Path> resume = Checkpoints.newest(data.resolve("checkpoints"));
        if (resume.isPresent()) {
            progress.accept("resuming the twin job from " + data.relativize(resume.get()));
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, resume.get().toUri().toString());
            Checkpoints.removeAllBut(data.resolve("checkpoints"), resume.get());
        } else {
            progress.accept("starting the twin job");
        }
        StreamExecutionEnvironment env =
                launch.flinkUiPort() != 0
                        ? StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf)
                        : StreamExecutionEnvironment.createLocalEnvironment(conf);
        TwinJob.assemble(env, launch.options());
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
    private static Configuration flinkConfiguration(JobLaunch launch)
            throws IOException, StartupException {
        Path confDir = launch.data().resolve("conf");
        Files.createDirectories(confDir);
        try (InputStream in = LocalStack.class.getResourceAsStream(template(launch.profile()))) {
            if (in == null) {
                throw new StartupException(
                        "unknown profile '" + launch.profile() + "': use local or pi");
            }
            Files.copy(
                    in,
                    confDir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Configuration conf = GlobalConfiguration.loadConfiguration(confDir.toString());
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                launch.data().resolve("checkpoints").toUri().toString());
        conf.set(RestOptions.PORT, launch.flinkUiPort());
        if (launch.parallelism() != null) {
            conf.set(CoreOptions.DEFAULT_PARALLELISM, launch.parallelism());
        }
        return conf;
    }

    private static String template(String profile) {
        return "/flink-conf-templates/" + profile + ".yaml";
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
                + " Pass --auth.tokens (or DTLAB_AUTH_TOKENS, or --auth.tokens-file), or --host"
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

    /** The data directory, absolute. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The configuration the query service runs with. */
    public QueryServiceConfig queryServiceConfig() {
        return queryServiceConfig;
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
