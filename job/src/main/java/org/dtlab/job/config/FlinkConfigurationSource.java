package org.dtlab.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import org.dtlab.model.config.Setting;
import org.dtlab.model.config.SettingSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The twin job's settings in a Flink configuration ({@code config.yaml}, {@code flink run -D}, a
 * {@code FlinkDeployment}'s {@code flinkConfiguration}): each under its key with the prefix {@code
 * dtlab.}, read through the {@link ConfigOption} {@link #option} derives from its declaration.
 */
public final class FlinkConfigurationSource implements SettingSource {

    private final ReadableConfig configuration;

    public FlinkConfigurationSource(ReadableConfig configuration) {
        this.configuration = configuration;
    }

    /**
     * The Flink {@link ConfigOption} of a setting: key {@code dtlab.<key>}, the setting's type,
     * default, description and deprecated keys.
     */
    @SuppressWarnings("unchecked")
    public static <T> ConfigOption<T> option(Setting<T> setting) {
        ConfigOptions.OptionBuilder builder = ConfigOptions.key(setting.flinkKey());
        ConfigOptions.TypedConfigOptionBuilder<T> typed =
                setting.type() == Integer.class
                        ? (ConfigOptions.TypedConfigOptionBuilder<T>) builder.intType()
                        : (ConfigOptions.TypedConfigOptionBuilder<T>) builder.stringType();
        ConfigOption<T> option =
                setting.hasDefaultValue()
                        ? typed.defaultValue(setting.defaultValue())
                        : typed.noDefaultValue();
        return option.withDeprecatedKeys(
                        setting.deprecatedKeys().stream()
                                .map(key -> Setting.FLINK_PREFIX + key)
                                .toArray(String[]::new))
                .withDescription(setting.description());
    }

    @Override
    public <T> Optional<T> value(Setting<T> setting) {
        if (setting.hasFileVariant()) {
            Optional<String> file =
                    read(
                            ConfigOptions.key(Setting.FLINK_PREFIX + setting.fileKey())
                                    .stringType()
                                    .noDefaultValue(),
                            setting);
            if (file.isPresent() && !file.get().isBlank()) {
                String where =
                        Setting.FLINK_PREFIX + setting.fileKey() + " in the Flink configuration";
                try {
                    return Optional.of(
                            setting.parse(
                                    Files.readString(
                                            Path.of(file.get().strip()), StandardCharsets.UTF_8),
                                    where));
                } catch (IOException e) {
                    throw new IllegalArgumentException(
                            "cannot read " + where + " " + file.get() + ": " + e);
                }
            }
        }
        return read(option(setting), setting)
                .filter(value -> !(value instanceof String text && text.isBlank()))
                .map(value -> setting.check(value, where(setting)));
    }

    private <T> Optional<T> read(ConfigOption<T> option, Setting<?> setting) {
        try {
            return configuration.getOptional(option);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    where(setting)
                            + " must be a whole number"
                            + (setting.rangeText().isEmpty() ? "" : " " + setting.rangeText())
                            + ", got '"
                            + configuration.toMap().get(option.key())
                            + "'");
        }
    }

    private static String where(Setting<?> setting) {
        return setting.flinkKey() + " in the Flink configuration";
    }

    @Override
    public Optional<String> spelling(Setting<?> setting) {
        return Optional.of(where(setting));
    }
}
