package org.dtlab.job.testutils;

import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.job.config.TwinJobOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The production job's options for a test: its own topics and group under a prefix. */
public final class TestJobOptions {

    private TestJobOptions() {}

    /**
     * Options reading {@code <prefix>.observations} and {@code <prefix>.control} of {@code kafka}
     * as group {@code prefix}, writing to {@code db}, state rows at most every 100 ms; {@code more}
     * are further {@code --key value} arguments.
     */
    public static TwinJobOptions of(
            EmbeddedKafka kafka, String prefix, TestDatabase db, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--kafka.bootstrap",
                                kafka.bootstrapServers(),
                                "--kafka.observations-topic",
                                prefix + ".observations",
                                "--kafka.control-topic",
                                prefix + ".control",
                                "--kafka.group-id",
                                prefix,
                                "--jdbc.url",
                                db.url(),
                                "--jdbc.user",
                                db.user(),
                                "--jdbc.password",
                                db.password(),
                                "--snapshot-interval-ms",
                                "100"));
        args.addAll(List.of(more));
        return TwinJobOptions.fromArgs(args.toArray(String[]::new), Map.of());
    }
}
