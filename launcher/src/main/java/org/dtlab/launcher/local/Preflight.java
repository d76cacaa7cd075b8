package org.dtlab.launcher.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.dtlab.launcher.StartupException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The checks before anything starts, each failing with a message that says what to do. */
public final class Preflight {

    private Preflight() {}

    static void writableDirectory(Path dir) throws StartupException {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", null);
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StartupException(
                    "cannot write to the data directory "
                            + dir
                            + " ("
                            + e.getMessage()
                            + "): choose another with --data-dir");
        }
    }

    /** Port 0 (any free one) always passes. */
    public static void freePort(String host, int port, String flag) throws StartupException {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new StartupException(
                    "port "
                            + port
                            + " on "
                            + host
                            + " is in use: stop what uses it, or pass "
                            + flag
                            + " with another port");
        }
    }

    static void database(String url, String user, String password) throws StartupException {
        DriverManager.setLoginTimeout(10);
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw new StartupException(
                    "cannot connect to the database at "
                            + url
                            + " as '"
                            + user
                            + "': "
                            + e.getMessage().lines().findFirst().orElse("")
                            + " (check --jdbc.url, --jdbc.user, --jdbc.password)");
        }
    }

    static void kafka(String bootstrap) throws StartupException {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StartupException(
                    "cannot reach Kafka at "
                            + bootstrap
                            + " (check --kafka.bootstrap, or leave it out"
                            + " to run an embedded broker)");
        }
    }
}
