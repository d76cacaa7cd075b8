package org.dtlab.query;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.dtlab.model.journal.JournalSchema;
import org.dtlab.query.api.ActorResource;
import org.dtlab.query.api.AlarmResource;
import org.dtlab.query.api.Commands;
import org.dtlab.query.api.DeadLetterResource;
import org.dtlab.query.api.IngestResource;
import org.dtlab.query.api.Resources;
import org.dtlab.query.api.SpecResources;
import org.dtlab.query.api.StreamResource;
import org.dtlab.query.config.QueryServiceConfig;
import org.dtlab.query.health.Fitness;
import org.dtlab.query.history.JournalHistory;
import org.dtlab.query.http.ApiServer;
import org.dtlab.query.http.EventStreams;
import org.dtlab.query.kafka.ControlLog;
import org.dtlab.query.kafka.Publisher;
import org.dtlab.query.store.DeadLetterStore;
import org.dtlab.query.store.TimedConnections;
import org.dtlab.query.store.TwinStore;
import org.dtlab.query.stream.EventHub;
import org.dtlab.query.stream.EventTail;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The query service, assembled: connections to the journal database, the control log and publisher
 * on Kafka, and the HTTP server. {@link #start} returns once it serves.
 */
public final class QueryService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

    /** How long {@code /fitness} may take, whatever is down. */
    private static final Duration FITNESS_DEADLINE = Duration.ofMillis(1500);

    /** Connections to the journal database at once, at most (pooled, or being opened). */
    private static final int MAX_CONNECTIONS = 16;

    /**
     * How long a missing event number holds the streams back before it is taken as never coming
     * (GapGuard): far longer than the job's sink takes to commit a batch.
     */
    private static final long GAP_WAIT_MS = 2_000;

    private final DataSource dataSource;
    private final ControlLog controlLog;
    private final Publisher publisher;
    private final Admin kafka;
    private final Fitness fitness;
    private final ApiServer server;
    private final EventTail eventTail;

    private QueryService(
            DataSource dataSource,
            ControlLog controlLog,
            Publisher publisher,
            Admin kafka,
            Fitness fitness,
            ApiServer server,
            EventTail eventTail) {
        this.eventTail = eventTail;
        this.dataSource = dataSource;
        this.controlLog = controlLog;
        this.publisher = publisher;
        this.kafka = kafka;
        this.fitness = fitness;
        this.server = server;
    }

    /**
     * Creates the topics and tables if missing, reads the control topic up to its end, and starts
     * serving.
     */
    public static QueryService start(QueryServiceConfig config) throws Exception {
        Publisher.createTopics(
                config.kafkaBootstrap(),
                config.observationsTopic(),
                config.controlTopic(),
                config.observationPartitions());
        JournalSchema.apply(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword());
        DataSource dataSource = dataSource(config);
        ControlLog controlLog =
                new ControlLog(config.kafkaBootstrap(), config.controlTopic()).start();
        controlLog.caughtUp().get(60, TimeUnit.SECONDS);
        Publisher publisher =
                new Publisher(
                        config.kafkaBootstrap(),
                        config.observationsTopic(),
                        config.controlTopic(),
                        config.maxRecordBytes());
        Commands commands =
                new Commands(publisher, controlLog, Clock.systemUTC(), config.confirmTimeoutMs());
        TwinStore store = new TwinStore(dataSource, config.jdbcQueryTimeoutMs());
        Admin kafka =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                config.kafkaBootstrap()));
        Fitness fitness =
                new Fitness(FITNESS_DEADLINE)
                        .part("the control topic", () -> controlLogProblem(controlLog))
                        .part("Kafka", () -> kafkaProblem(kafka))
                        .part("the journal database", store::problem);
        QueryServiceConfig.StreamSettings streaming = config.stream();
        EventHub hub = new EventHub(streaming.retention());
        EventTail eventTail =
                new EventTail(
                                dataSource,
                                hub,
                                streaming.pollIntervalMs(),
                                GAP_WAIT_MS,
                                config.jdbcQueryTimeoutMs())
                        .start(streaming.retention());
        ApiServer server =
                new ApiServer(
                        config.host(),
                        config.port(),
                        config.prefix(),
                        config.maxBodyBytes(),
                        new ApiServer.ConnectionLimits(
                                config.readTimeoutMs(),
                                config.idleTimeoutMs(),
                                config.maxPendingBodies()),
                        config.tokens(),
                        new Resources(
                                new SpecResources(commands),
                                new ActorResource(
                                        commands,
                                        store,
                                        new JournalHistory(
                                                dataSource, config.jdbcQueryTimeoutMs())),
                                new AlarmResource(commands, store),
                                new DeadLetterResource(
                                        commands,
                                        new DeadLetterStore(
                                                dataSource, config.jdbcQueryTimeoutMs()),
                                        config.webhookResendTimeoutMs()),
                                new IngestResource(commands),
                                new StreamResource(commands)),
                        fitness::problem,
                        new EventStreams(
                                hub,
                                new EventStreams.Limits(
                                        streaming.maxStreams(),
                                        streaming.maxPending(),
                                        streaming.keepAliveMs())));
        server.start();
        LOG.info(
                "DT Lab API on http://{}:{}{} ({} authentication)",
                config.host(),
                server.port(),
                config.prefix(),
                config.tokens().isEmpty() ? "no" : "bearer-token");
        return new QueryService(
                dataSource, controlLog, publisher, kafka, fitness, server, eventTail);
    }

    /**
     * The journal's connections: a pool, or, for an embedded H2 database, a new connection for
     * every use.
     *
     * <p>Why not pool an embedded H2: all connections to one H2 file in a JVM share one database
     * object, and when H2 closes that object's store on a write error (a full disk, a directory
     * made read-only), pooled connections still pass the pool's validity check and keep it. Every
     * statement on one of them then closes the database registered under the file's name — no
     * longer the dead one but the one H2 opened since for everybody else — and its file lock
     * refuses every later connection ("The file is locked"), for good. A connection per use lives
     * as long as one read (docs/deployment.md, "Faults"). H2 has no connect timeout, so each one is
     * opened within {@code --jdbc.connect-timeout-ms} by {@link TimedConnections}; the query
     * timeout bounds the statements (H2 honours it), as on PostgreSQL.
     */
    private static DataSource dataSource(QueryServiceConfig config) {
        String url = config.jdbcUrl();
        if (url.startsWith("jdbc:h2:")
                && !url.startsWith("jdbc:h2:tcp:")
                && !url.startsWith("jdbc:h2:ssl:")) {
            JdbcDataSource embedded = new JdbcDataSource();
            embedded.setURL(url);
            embedded.setUser(config.jdbcUser());
            embedded.setPassword(config.jdbcPassword());
            // H2 has no connect timeout of its own (it ignores the login timeout).
            return new TimedConnections(embedded, config.jdbcConnectTimeoutMs(), MAX_CONNECTIONS);
        }
        return new HikariDataSource(pool(config));
    }

    /**
     * The connection pool, with timeouts: a database that is down or hung costs a read at most the
     * connect timeout (then a 503), and a query at most the query timeout.
     */
    private static HikariConfig pool(QueryServiceConfig config) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(config.jdbcUrl());
        pool.setUsername(config.jdbcUser());
        pool.setPassword(config.jdbcPassword());
        pool.setMaximumPoolSize(MAX_CONNECTIONS);
        pool.setPoolName("dtlab-query");
        pool.setConnectionTimeout(config.jdbcConnectTimeoutMs());
        pool.setValidationTimeout(Math.max(250, config.jdbcConnectTimeoutMs() / 2));
        if (config.jdbcUrl().startsWith("jdbc:postgresql:")) {
            // PostgreSQL's own timeouts, in seconds: connecting, and any socket read — the query
            // timeout alone cannot stop a query whose server no longer answers (its cancel needs
            // one).
            pool.addDataSourceProperty(
                    "connectTimeout", String.valueOf(seconds(config.jdbcConnectTimeoutMs())));
            pool.addDataSourceProperty(
                    "socketTimeout", String.valueOf(seconds(config.jdbcQueryTimeoutMs()) + 1));
        }
        return pool;
    }

    private static int seconds(int millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    private static String controlLogProblem(ControlLog controlLog) {
        if (!controlLog.caughtUp().isDone() || controlLog.caughtUp().isCompletedExceptionally()) {
            return "not read";
        }
        return null;
    }

    private static String kafkaProblem(Admin kafka) throws Exception {
        int timeoutMs = (int) FITNESS_DEADLINE.toMillis();
        kafka.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                .nodes()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        return null;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() throws Exception {
        server.close();
        eventTail.close();
        fitness.close();
        kafka.close();
        publisher.close();
        controlLog.close();
        if (dataSource instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
