package org.dtlab.model.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values of a program's settings, read from its sources in order of precedence: the first
 * source that gives a setting a value decides it, else its default applies. The programs use one
 * order: program arguments, then environment variables, then (the twin job) the Flink
 * configuration, then the default.
 */
public final class Settings {

    private final List<SettingSource> sources;

    private Settings(List<SettingSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /** Reads from {@code sources}, the first first. */
    public static Settings of(SettingSource... sources) {
        return new Settings(List.of(sources));
    }

    /** Program arguments ({@code --key value}) before environment variables ({@code DTLAB_KEY}). */
    public static Settings fromArgs(
            String[] args, Map<String, String> environment, List<? extends Setting<?>> declared) {
        return of(SettingSource.arguments(args, declared), SettingSource.environment(environment));
    }

    /** These settings with {@code source} before all others. */
    public Settings overriddenBy(SettingSource source) {
        List<SettingSource> all = new ArrayList<>();
        all.add(source);
        all.addAll(sources);
        return new Settings(all);
    }

    /** These settings with {@code source} after all others, before the defaults. */
    public Settings withFallback(SettingSource source) {
        List<SettingSource> all = new ArrayList<>(sources);
        all.add(source);
        return new Settings(all);
    }

    /**
     * The setting's value, else its default.
     *
     * @throws IllegalArgumentException if a source gives a value that is not one, or if there is
     *     neither a value nor a default: {@code missing --jdbc.url (or the environment variable
     *     DTLAB_JDBC_URL)}
     */
    public <T> T get(Setting<T> setting) {
        return optional(setting).orElseThrow(() -> missing(setting));
    }

    /**
     * The setting's value, else its default, else nothing.
     *
     * @throws IllegalArgumentException if a source gives a value that is not one
     */
    public <T> Optional<T> optional(Setting<T> setting) {
        for (SettingSource source : sources) {
            Optional<T> value = source.value(setting);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.ofNullable(setting.defaultValue());
    }

    private IllegalArgumentException missing(Setting<?> setting) {
        List<String> spellings = new ArrayList<>();
        for (SettingSource source : sources) {
            source.spelling(setting).ifPresent(spellings::add);
        }
        if (spellings.isEmpty()) {
            return new IllegalArgumentException("missing " + setting.key());
        }
        String others = String.join(", or ", spellings.subList(1, spellings.size()));
        return new IllegalArgumentException(
                "missing " + spellings.get(0) + (others.isEmpty() ? "" : " (or " + others + ")"));
    }
}
