package org.dtlab.launcher.local;

import org.dtlab.job.config.TwinJobSettings;
import org.dtlab.model.config.ConnectionSettings;
import org.dtlab.model.config.Setting;
import org.dtlab.query.config.QueryServiceSettings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of {@code dtlab local}: its own, declared here, and every setting of the query
 * service and the twin job it runs, some with other defaults. docs/settings.md lists them.
 */
public final class LocalSettings {

    public static final Setting<String> DATA_DIR =
            Setting.key("data-dir")
                    .stringType()
                    .defaultValue("./data")
                    .withDescription(
                            "Where the Kafka log, the H2 database, the Flink checkpoints and the"
                                    + " configuration live; one dtlab local per directory. Started"
                                    + " again on the same directory, it resumes where it stopped.");

    public static final Setting<Integer> FLINK_UI_PORT =
            Setting.key("flink-ui-port")
                    .intType()
                    .defaultValue(8082)
                    .between(0, 65535)
                    .withDescription("The Flink web UI's port (0: no web UI).");

    public static final Setting<String> PROFILE =
            Setting.key("profile")
                    .stringType()
                    .defaultValue("local")
                    .withDescription(
                            "The Flink configuration: local, or pi for a 1 GB board"
                                    + " (flink-conf-templates/<profile>.yaml).");

    public static final Setting<Integer> PARALLELISM =
            Setting.key("parallelism")
                    .intType()
                    .noDefaultValue()
                    .atLeast(1)
                    .withDefaultDescription("the profile's: 2 (local), 1 (pi)")
                    .withDescription("The twin job's parallelism.");

    /** The settings only {@code dtlab local} has. */
    public static final List<Setting<?>> OWN =
            List.of(DATA_DIR, FLINK_UI_PORT, PROFILE, PARALLELISM);

    /**
     * Defaults {@code dtlab local} gives settings of the job: one machine, one clock, a user
     * watching.
     */
    public static final Map<Setting<?>, Object> CHANGED_DEFAULTS = changedDefaults();

    /** What {@code dtlab local} runs when these settings are not given. */
    public static final Map<Setting<?>, String> EMBEDDED = embedded();

    private LocalSettings() {}

    /**
     * Every setting {@code dtlab local} accepts: its own, the query service's, the twin job's, each
     * key once (the query service's {@code jdbc.user} stands for the job's: one value feeds both).
     */
    public static List<Setting<?>> accepted() {
        Map<String, Setting<?>> byKey = new LinkedHashMap<>();
        for (List<Setting<?>> settings :
                List.of(OWN, QueryServiceSettings.ALL, TwinJobSettings.ALL)) {
            for (Setting<?> setting : settings) {
                byKey.putIfAbsent(setting.key(), setting);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static Map<Setting<?>, Object> changedDefaults() {
        Map<Setting<?>, Object> defaults = new LinkedHashMap<>();
        defaults.put(TwinJobSettings.SNAPSHOT_INTERVAL_MS, 200);
        // When nothing is sent for 10 s event time follows the wall clock, so a door left open
        // raises its alarm although nothing else happens.
        defaults.put(TwinJobSettings.EVENT_TIME_IDLE_ADVANCE_MS, 10_000);
        return Collections.unmodifiableMap(defaults);
    }

    private static Map<Setting<?>, String> embedded() {
        Map<Setting<?>, String> embedded = new LinkedHashMap<>();
        embedded.put(
                ConnectionSettings.KAFKA_BOOTSTRAP,
                "an embedded broker on 127.0.0.1:9092, or on any free port (its data in"
                        + " <data-dir>/kafka)");
        embedded.put(
                ConnectionSettings.JDBC_URL,
                "an embedded H2 database in <data-dir>/journal (as user sa without a password:"
                        + " jdbc.user and jdbc.password apply to a given URL only)");
        return Collections.unmodifiableMap(embedded);
    }
}
