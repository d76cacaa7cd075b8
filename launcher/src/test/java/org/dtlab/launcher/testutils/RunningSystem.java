package org.dtlab.launcher.testutils;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.job.TwinJob;
import org.dtlab.job.config.TwinJobOptions;
import org.dtlab.query.QueryService;
import org.dtlab.query.config.QueryServiceConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole system for an end-to-end test: the query service and the production twin job
 * (MiniCluster, RocksDB, checkpoints, parallelism 2) on the test's Kafka broker and a fresh
 * PostgreSQL schema, with an HTTP client for the API.
 */
public final class RunningSystem implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final QueryService service;
    private final JobClient job;
    private final String base;

    private RunningSystem(QueryService service, JobClient job) {
        this.service = service;
        this.job = job;
        this.base = "http://127.0.0.1:" + service.port() + "/dtlab-alligator";
    }

    /**
     * Starts the query service and the twin job; {@code jobArgs} are added to the job's settings.
     */
    public static RunningSystem start(String kafkaBootstrap, Path checkpoints, String... jobArgs)
            throws Exception {
        TestDatabase db = TestDatabase.postgres();
        QueryService service =
                QueryService.start(
                        QueryServiceConfig.fromArgs(
                                new String[] {
                                    "--port",
                                    "0",
                                    "--jdbc.url",
                                    db.url(),
                                    "--jdbc.user",
                                    db.user(),
                                    "--jdbc.password",
                                    db.password(),
                                    "--kafka.bootstrap",
                                    kafkaBootstrap
                                },
                                Map.of()));
        Configuration conf = TwinJob.requiredConfiguration();
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("execution.checkpointing.interval", "500 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--kafka.bootstrap",
                                kafkaBootstrap,
                                "--jdbc.url",
                                db.url(),
                                "--jdbc.user",
                                db.user(),
                                "--jdbc.password",
                                db.password(),
                                "--snapshot-interval-ms",
                                "100"));
        args.addAll(List.of(jobArgs));
        TwinJob.assemble(env, TwinJobOptions.fromArgs(args.toArray(String[]::new), Map.of()));
        return new RunningSystem(service, env.executeAsync("dtlab end to end"));
    }

    /** The API's base URL, the prefix included. */
    public String base() {
        return base;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        try {
            job.cancel().get();
        } finally {
            service.close();
        }
    }
}
