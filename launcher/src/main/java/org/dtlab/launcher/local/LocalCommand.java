package org.dtlab.launcher.local;

import org.dtlab.launcher.StartupException;
import org.dtlab.model.config.Setting;
import org.dtlab.model.config.SettingSource;
import org.dtlab.model.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code dtlab local}: the whole system in this process, until Ctrl-C or SIGTERM. Its options are
 * the settings of {@link LocalSettings#accepted()}: its own, the query service's and the twin
 * job's, each also read from its {@code DTLAB_*} environment variable.
 */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        modelTransformer = LocalCommand.SettingOptions.class,
        abbreviateSynopsis = true,
        sortOptions = false,
        description = {
            "Runs DT Lab in one process: an embedded Kafka broker, the twin job on a Flink"
                    + " MiniCluster (RocksDB, checkpoints under the data directory), the journal"
                    + " database (embedded H2 unless --jdbc.url) and the HTTP API.",
            "Prints a line starting with 'DT Lab ready' when everything serves. Ctrl-C stops it;"
                    + " starting again on the same data directory resumes where it stopped.",
            "Takes every setting of the query service and the twin job (docs/settings.md), as an"
                    + " option or its DTLAB_* environment variable (DTLAB_STREAM_MAX_STREAMS for"
                    + " --stream.max-streams); an option beats the environment."
        })
public final class LocalCommand implements Callable<Integer> {

    /** The options given, by setting key (a deprecated spelling under its key). */
    private final Map<String, String> arguments = new LinkedHashMap<>();

    /** The options given, by setting key. */
    Map<String, String> arguments() {
        return Map.copyOf(arguments);
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        LocalStack stack;
        try {
            stack =
                    LocalStack.start(
                            Settings.of(
                                    SettingSource.arguments(arguments),
                                    SettingSource.environment(System.getenv())),
                            step -> System.out.println("dtlab local: " + step));
        } catch (StartupException e) {
            System.err.println("dtlab local: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println(
                                            "dtlab local: stopping (checkpoints are kept; start"
                                                    + " again to resume)");
                                    stack.close();
                                    stopped.countDown();
                                },
                                "dtlab-local-shutdown"));
        System.out.printf(
                "DT Lab ready in %.1f s: API %s%s · Kafka %s · journal %s · data %s%n",
                (System.nanoTime() - started) / 1e9,
                stack.apiUrl(),
                stack.flinkUiUrl().map(url -> " · Flink UI " + url).orElse(""),
                stack.kafkaBootstrap(),
                stack.jdbcUrl().replaceAll("password=[^;&]*", "password=***"),
                stack.dataDirectory());
        System.out.flush();
        stack.exposureWarning().ifPresent(warning -> System.err.println("dtlab local: " + warning));
        stopped.await();
        return 0;
    }

    /**
     * Adds an option for every setting {@code dtlab local} accepts, from its declaration: {@code
     * --key VALUE}, {@code --key-file FILE} for a setting that may come from a file, and the
     * deprecated spellings ({@code --jdbc-url}) as hidden options.
     */
    public static final class SettingOptions implements IModelTransformer {

        @Override
        public CommandSpec transform(CommandSpec spec) {
            LocalCommand command = (LocalCommand) spec.userObject();
            for (Setting<?> setting : LocalSettings.accepted()) {
                spec.addOption(option(command, setting.key(), false, setting, help(setting)));
                if (setting.hasFileVariant()) {
                    spec.addOption(
                            option(
                                    command,
                                    setting.fileKey(),
                                    false,
                                    setting,
                                    new String[] {
                                        "A file holding " + setting.flag() + " (beats it).",
                                        "Environment: " + setting.environmentVariable() + "_FILE."
                                    }));
                }
                for (String deprecated : setting.deprecatedKeys()) {
                    spec.addOption(option(command, setting.key(), deprecated, setting));
                    if (setting.hasFileVariant()) {
                        spec.addOption(
                                option(command, setting.fileKey(), deprecated + "-file", setting));
                    }
                }
            }
            return spec;
        }

        private static OptionSpec option(
                LocalCommand command,
                String key,
                boolean hidden,
                Setting<?> setting,
                String[] help) {
            return OptionSpec.builder("--" + key)
                    .type(String.class)
                    .paramLabel(key.endsWith("-file") ? "FILE" : "<" + setting.typeName() + ">")
                    .description(help)
                    .hidden(hidden)
                    .setter(into(command, key))
                    .build();
        }

        /** A hidden option of an earlier spelling, stored under the setting's key. */
        private static OptionSpec option(
                LocalCommand command, String key, String deprecated, Setting<?> setting) {
            return OptionSpec.builder("--" + deprecated)
                    .type(String.class)
                    .paramLabel("<" + setting.typeName() + ">")
                    .hidden(true)
                    .setter(into(command, key))
                    .build();
        }

        private static ISetter into(LocalCommand command, String key) {
            return new ISetter() {
                @Override
                public <T> T set(T value) {
                    if (value != null) {
                        command.arguments.put(key, value.toString());
                    }
                    return null;
                }
            };
        }

        private static String[] help(Setting<?> setting) {
            List<String> lines = new ArrayList<>();
            lines.add(setting.description());
            String range = setting.rangeText();
            String defaultText =
                    LocalSettings.CHANGED_DEFAULTS.containsKey(setting)
                            ? LocalSettings.CHANGED_DEFAULTS.get(setting).toString()
                            : LocalSettings.EMBEDDED.getOrDefault(setting, setting.defaultText());
            lines.add(
                    "Default: "
                            + defaultText
                            + "."
                            + (range.isEmpty() ? "" : " Range: " + range + ".")
                            + " Environment: "
                            + setting.environmentVariable()
                            + ".");
            return lines.toArray(String[]::new);
        }
    }
}
