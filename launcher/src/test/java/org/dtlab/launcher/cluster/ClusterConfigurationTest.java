package org.dtlab.launcher.cluster;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dtlab cluster start} writes the cluster template with this machine's paths and sizes. */
class ClusterConfigurationTest {

    @Test
    void theTemplateGetsLoopbackAddressesTheDirectoriesAndTheUsersSizes(@TempDir Path root)
            throws Exception {
        ClusterDirectory dir = new ClusterDirectory(root);
        dir.create();

        ClusterConfiguration.write(
                dir, new ClusterSettings(2, 3, "1536m", 8099, Map.of("dtlab.twins.levels", "4")));
        Configuration conf = ClusterConfiguration.read(dir);

        assertThat(conf.get(JobManagerOptions.ADDRESS)).isEqualTo("localhost");
        assertThat(conf.get(JobManagerOptions.PORT)).isPositive();
        assertThat(conf.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(conf.get(RestOptions.PORT)).isEqualTo(8099);
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(dir.checkpoints().toUri().toString());
        assertThat(conf.get(CoreOptions.TMP_DIRS)).isEqualTo(dir.tmp().toString());
        assertThat(conf.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(3);
        assertThat(conf.get(TaskManagerOptions.TOTAL_PROCESS_MEMORY))
                .isEqualTo(MemorySize.ofMebiBytes(1536));
        assertThat(conf.toMap()).containsEntry("dtlab.twins.levels", "4");
    }
}
