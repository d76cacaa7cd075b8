package org.dtlab.launcher;

import org.dtlab.kafka.EmbeddedKafkaBroker;
import org.dtlab.launcher.local.Preflight;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code dtlab kafka}: a single-node Kafka broker (KRaft) on 127.0.0.1, until Ctrl-C — for a {@code
 * dtlab cluster} or the query service when no Kafka is at hand. The same broker as {@code dtlab
 * local}'s.
 */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description =
                "Runs a single-node Kafka broker (KRaft) on 127.0.0.1 until Ctrl-C; its data stays"
                        + " in --data-dir.")
public final class KafkaCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            defaultValue = "9092",
            description = "Listener port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--data-dir",
            defaultValue = "./data/kafka-broker",
            description = "Log directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        try {
            Preflight.freePort("127.0.0.1", port, "--port");
        } catch (StartupException e) {
            System.err.println("dtlab kafka: " + e.getMessage());
            return 1;
        }
        EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.start(dataDir.toAbsolutePath().normalize(), port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    broker.close();
                                    stopped.countDown();
                                },
                                "dtlab-kafka-shutdown"));
        System.out.println(
                "Kafka ready: "
                        + broker.bootstrapServers()
                        + " · data "
                        + dataDir.toAbsolutePath().normalize());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
