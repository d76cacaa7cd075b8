package org.dtlab.query.store;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TimedConnectionsTest {

    /** Connections that open once {@link #gate} opens; counts those closed. */
    private static final class SlowSource {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger closed = new AtomicInteger();
        SQLException failure;

        DataSource dataSource() {
            return (DataSource)
                    Proxy.newProxyInstance(
                            getClass().getClassLoader(),
                            new Class<?>[] {DataSource.class},
                            (proxy, method, args) -> {
                                if (!method.getName().equals("getConnection")) {
                                    throw new UnsupportedOperationException(method.getName());
                                }
                                gate.await(1, TimeUnit.MINUTES);
                                if (failure != null) {
                                    throw failure;
                                }
                                return connection();
                            });
        }

        private Connection connection() {
            return (Connection)
                    Proxy.newProxyInstance(
                            getClass().getClassLoader(),
                            new Class<?>[] {Connection.class},
                            (proxy, method, args) -> {
                                if (method.getName().equals("close")) {
                                    closed.incrementAndGet();
                                }
                                return null;
                            });
        }
    }

    @Test
    void aConnectionThatOpensInTimeIsHandedOver() throws Exception {
        SlowSource source = new SlowSource();
        source.gate.countDown();
        try (TimedConnections connections = new TimedConnections(source.dataSource(), 1_000, 2)) {
            assertThat(connections.getConnection()).isNotNull();
            assertThat(source.closed).hasValue(0);
        }
    }

    @Test
    void theSourcesFailureIsThrownAsIs() {
        SlowSource source = new SlowSource();
        source.failure = new SQLException("Database may be already in use", "90020");
        source.gate.countDown();
        try (TimedConnections connections = new TimedConnections(source.dataSource(), 1_000, 2)) {
            assertThatThrownBy(connections::getConnection).isSameAs(source.failure);
        }
    }

    @Test
    void aConnectionThatDoesNotOpenInTimeFailsAndIsClosedWhenItOpens() {
        SlowSource source = new SlowSource();
        try (TimedConnections connections = new TimedConnections(source.dataSource(), 300, 2)) {
            long start = System.nanoTime();
            assertThatThrownBy(connections::getConnection)
                    .isInstanceOf(SQLTimeoutException.class)
                    .hasMessage("no connection to the journal database within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(2));

            source.gate.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> source.closed.get() == 1);
        }
    }

    @Test
    void whenAllOpeningThreadsWaitFurtherCallsFailAtOnce() {
        SlowSource source = new SlowSource();
        try (TimedConnections connections = new TimedConnections(source.dataSource(), 1_000, 2)) {
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(connections::getConnection)
                        .isInstanceOf(SQLTimeoutException.class);
            }
            long start = System.nanoTime();
            assertThatThrownBy(connections::getConnection)
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessage("the journal database is still opening 2 earlier connections");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofMillis(500));
            source.gate.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> source.closed.get() == 2);
        }
    }
}
