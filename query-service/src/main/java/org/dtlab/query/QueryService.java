package org.dtlab.query;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.dtlab.model.journal.JournalSchema;
import org.dtlab.query.api.ActorResource;
import org.dtlab.query.api.AlarmResource;
import org.dtlab.query.api.Commands;
import org.dtlab.query.api.IngestResource;
import org.dtlab.query.api.SpecResources;
import org.dtlab.query.config.QueryServiceConfig;
import org.dtlab.query.http.ApiServer;
import org.dtlab.query.kafka.ControlLog;
import org.dtlab.query.kafka.Publisher;
import org.dtlab.query.store.TwinStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The query service, assembled: a connection pool on the journal database, the control log and
 * publisher on Kafka, and the HTTP server. {@link #start} returns once it serves.
 */
public final class QueryService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

    private final HikariDataSource dataSource;
    private final ControlLog controlLog;
    private final Publisher publisher;
    private final ApiServer server;

    private QueryService(HikariDataSource dataSource, ControlLog controlLog, Publisher publisher, ApiServer server) {
        this.dataSource = dataSource;
        this.controlLog = controlLog;
        this.publisher = publisher;
        this.server = server;
    }

    /**
     * Creates the topics and tables if missing, reads the control topic up to its end, and starts
     * serving.
     */
    public static QueryService start(QueryServiceConfig config) throws Exception {
        Publisher.createTopics(config.kafkaBootstrap(), config.observationsTopic(), config.controlTopic(),
                config.observationPartitions());
        JournalSchema.apply(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword());
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(config.jdbcUrl());
        pool.setUsername(config.jdbcUser());
        pool.setPassword(config.jdbcPassword());
        pool.setMaximumPoolSize(16);
        pool.setPoolName("dtlab-query");
        HikariDataSource dataSource = new HikariDataSource(pool);
        ControlLog controlLog = new ControlLog(config.kafkaBootstrap(), config.controlTopic()).start();
        controlLog.caughtUp().get(60, TimeUnit.SECONDS);
        Publisher publisher = new Publisher(config.kafkaBootstrap(), config.observationsTopic(), config.controlTopic());
        Commands commands = new Commands(publisher, controlLog, Clock.systemUTC(), config.confirmTimeoutMs());
        TwinStore store = new TwinStore(dataSource);
        ApiServer server = new ApiServer(
                config.host(),
                config.port(),
                config.prefix(),
                config.maxBodyBytes(),
                config.tokens(),
                new SpecResources(commands),
                new ActorResource(commands, store),
                new AlarmResource(commands, store),
                new IngestResource(commands),
                () -> fitness(controlLog, store));
        server.start();
        LOG.info("DT Lab API on http://{}:{}{} ({} authentication)", config.host(), server.port(), config.prefix(),
                config.tokens().isEmpty() ? "no" : "bearer-token");
        return new QueryService(dataSource, controlLog, publisher, server);
    }

    private static String fitness(ControlLog controlLog, TwinStore store) {
        if (!controlLog.caughtUp().isDone() || controlLog.caughtUp().isCompletedExceptionally()) {
            return "the control topic is not read";
        }
        return store.isReachable() ? null : "the journal database does not answer";
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() throws Exception {
        server.close();
        publisher.close();
        controlLog.close();
        dataSource.close();
    }
}
