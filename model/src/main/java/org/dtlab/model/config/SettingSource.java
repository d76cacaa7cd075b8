package org.dtlab.model.config;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where settings come from: program arguments, environment variables, a Flink configuration (in the
 * job module), or values a program fixes itself. {@link Settings} asks its sources in order.
 */
public interface SettingSource {

    /**
     * The value this source gives the setting, checked against its type and range; empty if it
     * gives none (a blank text counts as none).
     *
     * @throws IllegalArgumentException naming the setting as this source spells it, if the value is
     *     not one
     */
    <T> Optional<T> value(Setting<T> setting);

    /**
     * How a user gives the setting in this source ({@code --key}, {@code the environment variable
     * DTLAB_KEY}), for the message about a missing setting; empty for a source users do not write.
     */
    Optional<String> spelling(Setting<?> setting);

    /**
     * Program arguments, {@code --key value} pairs, checked against the settings a program has.
     *
     * @throws IllegalArgumentException for an argument that is not a pair or not a setting
     */
    static SettingSource arguments(String[] args, Collection<? extends Setting<?>> declared) {
        Set<String> known = new TreeSet<>();
        for (Setting<?> setting : declared) {
            known.add(setting.key());
            known.addAll(setting.deprecatedKeys());
            if (setting.hasFileVariant()) {
                known.add(setting.fileKey());
                setting.deprecatedKeys().forEach(d -> known.add(d + "-file"));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || args[i].length() == 2) {
                throw new IllegalArgumentException(
                        "expected --key value pairs, got '" + args[i] + "'");
            }
            String key = args[i].substring(2);
            if (!known.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown setting "
                                + args[i]
                                + " (docs/settings.md lists every setting; settings are spelled"
                                + " --kafka.bootstrap, --jdbc.url …)");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            values.put(key, args[i + 1]);
        }
        return arguments(values);
    }

    /** Program arguments already split into keys (without {@code --}) and values. */
    static SettingSource arguments(Map<String, String> byKey) {
        Map<String, String> values = Map.copyOf(byKey);
        return new TextSource() {
            @Override
            String text(Setting<?> setting, boolean file) {
                String key = file ? setting.fileKey() : setting.key();
                String value = values.get(key);
                for (String deprecated : setting.deprecatedKeys()) {
                    if (value == null) {
                        value = values.get(file ? deprecated + "-file" : deprecated);
                    }
                }
                return value;
            }

            @Override
            String where(Setting<?> setting, boolean file) {
                return file
                        ? "--" + setting.fileKey() + " (" + setting.environmentVariable() + "_FILE)"
                        : setting.names();
            }

            @Override
            public Optional<String> spelling(Setting<?> setting) {
                return Optional.of(setting.flag());
            }
        };
    }

    /** Environment variables: {@code DTLAB_KEY}, and {@code DTLAB_KEY_FILE} for a file variant. */
    static SettingSource environment(Map<String, String> environment) {
        Map<String, String> variables = Map.copyOf(environment);
        return new TextSource() {
            @Override
            String text(Setting<?> setting, boolean file) {
                return variables.get(
                        file
                                ? Setting.environmentVariable(setting.fileKey())
                                : setting.environmentVariable());
            }

            @Override
            String where(Setting<?> setting, boolean file) {
                return file
                        ? Setting.environmentVariable(setting.fileKey())
                                + " (--"
                                + setting.fileKey()
                                + ")"
                        : setting.environmentVariable() + " (" + setting.flag() + ")";
            }

            @Override
            public Optional<String> spelling(Setting<?> setting) {
                return Optional.of("the environment variable " + setting.environmentVariable());
            }
        };
    }

    /**
     * Values a program fixes itself, by setting: {@code dtlab local}'s own defaults, or the
     * embedded database it runs. A value applies to every setting of that key (the job's and the
     * query service's {@code jdbc.user} alike).
     *
     * @param origin who fixed them, for errors
     */
    static SettingSource values(String origin, Map<? extends Setting<?>, ?> values) {
        Map<String, Object> byKey = new HashMap<>();
        values.forEach((setting, value) -> byKey.put(setting.key(), value));
        return new SettingSource() {
            @Override
            public <T> Optional<T> value(Setting<T> setting) {
                Object value = byKey.get(setting.key());
                return value == null
                        ? Optional.empty()
                        : Optional.of(
                                setting.check(
                                        setting.type().cast(value),
                                        setting.key() + " (" + origin + ")"));
            }

            @Override
            public Optional<String> spelling(Setting<?> setting) {
                return Optional.empty();
            }
        };
    }
}
