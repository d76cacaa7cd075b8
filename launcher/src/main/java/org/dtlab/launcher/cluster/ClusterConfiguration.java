package org.dtlab.launcher.cluster;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.GlobalConfiguration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes the Flink configuration of a one-machine cluster: {@code
 * flink-conf-templates/cluster.yaml} as shipped, with the paths pointed into the cluster directory,
 * every port on the loopback interface, and the user's sizes applied. The result is a plain {@code
 * conf/config.yaml} a user can read, and the one file every process and the submitting client load.
 */
final class ClusterConfiguration {

    static final String TEMPLATE = "/flink-conf-templates/cluster.yaml";

    private ClusterConfiguration() {}

    static Configuration write(ClusterDirectory dir, ClusterSettings settings) throws IOException {
        copyResource(TEMPLATE, dir.configFile());
        copyResource(
                "/org/dtlab/launcher/cluster/log4j.properties",
                dir.conf().resolve("log4j.properties"));
        copyResource(
                "/org/dtlab/launcher/cluster/log4j-cli.properties",
                dir.conf().resolve("log4j-cli.properties"));
        Configuration conf = GlobalConfiguration.loadConfiguration(dir.conf().toString());

        // One machine: everything on loopback, the RPC port picked free so two clusters can
        // coexist.
        conf.setString("jobmanager.rpc.address", "localhost");
        conf.setString("jobmanager.rpc.port", Integer.toString(freePort()));
        conf.setString("jobmanager.bind-host", "localhost");
        conf.setString("taskmanager.host", "localhost");
        conf.setString("taskmanager.bind-host", "localhost");
        conf.setString("rest.address", "127.0.0.1");
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString(
                "rest.port",
                Integer.toString(settings.restPort() == 0 ? freePort() : settings.restPort()));
        conf.setString("execution.checkpointing.dir", dir.checkpoints().toUri().toString());
        conf.setString(
                "execution.checkpointing.savepoint-dir", dir.savepoints().toUri().toString());
        conf.setString("io.tmp.dirs", dir.tmp().toString());
        if (settings.slotsPerTaskManager() != null) {
            conf.setString(
                    "taskmanager.numberOfTaskSlots", settings.slotsPerTaskManager().toString());
        }
        if (settings.taskManagerMemory() != null) {
            conf.setString("taskmanager.memory.process.size", settings.taskManagerMemory());
        }
        for (Map.Entry<String, String> override : settings.overrides().entrySet()) {
            conf.setString(override.getKey(), override.getValue());
        }

        String header =
                "# Written by 'dtlab cluster start' from flink-conf-templates/cluster.yaml;"
                        + " rewritten at every start.\n";
        Files.writeString(
                dir.configFile(),
                header
                        + String.join(
                                "\n", ConfigurationUtils.convertConfigToWritableLines(conf, false))
                        + "\n",
                StandardCharsets.UTF_8);
        return GlobalConfiguration.loadConfiguration(dir.conf().toString());
    }

    static Configuration read(ClusterDirectory dir) {
        return GlobalConfiguration.loadConfiguration(dir.conf().toString());
    }

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = ClusterConfiguration.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource + " in the launcher jar");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
