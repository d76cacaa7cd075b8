package org.dtlab.launcher.cluster;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

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
        conf.set(JobManagerOptions.ADDRESS, "localhost");
        conf.set(JobManagerOptions.PORT, freePort());
        conf.set(JobManagerOptions.BIND_HOST, "localhost");
        conf.set(TaskManagerOptions.HOST, "localhost");
        conf.set(TaskManagerOptions.BIND_HOST, "localhost");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, settings.restPort() == 0 ? freePort() : settings.restPort());
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.checkpoints().toUri().toString());
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, dir.savepoints().toUri().toString());
        conf.set(CoreOptions.TMP_DIRS, dir.tmp().toString());
        if (settings.slotsPerTaskManager() != null) {
            conf.set(TaskManagerOptions.NUM_TASK_SLOTS, settings.slotsPerTaskManager());
        }
        if (settings.taskManagerMemory() != null) {
            conf.set(
                    TaskManagerOptions.TOTAL_PROCESS_MEMORY,
                    MemorySize.parse(settings.taskManagerMemory()));
        }
        // Any further Flink setting, by the key the user wrote.
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
