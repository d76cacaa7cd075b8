package org.dtlab.model.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One setting of a DT Lab program, declared once: its key, type, default, description and whether
 * it is a secret. Declared the way Flink declares a {@code ConfigOption}:
 *
 * <pre>{@code
 * Setting<Integer> LEVELS =
 *         Setting.key("twins.levels")
 *                 .intType()
 *                 .defaultValue(10)
 *                 .between(1, 10)
 *                 .withDescription("Twin operators, one per level of the hierarchy.");
 * }</pre>
 *
 * <p>It is free of Flink so that the query service, which has no Flink on its class path, declares
 * its settings with it too; the twin job reads its own from its Flink configuration through {@code
 * ConfigOption}s derived from these (docs/decisions.md).
 *
 * <p>One key, spelled three ways: the program argument {@code --twins.levels}, the environment
 * variable {@code DTLAB_TWINS_LEVELS} (upper case, dots and dashes become underscores) and, for the
 * twin job, {@code dtlab.twins.levels} in the Flink configuration. {@link Settings} reads them in
 * that order of precedence; docs/settings.md is generated from the declarations.
 *
 * @param <T> {@link String} or {@link Integer}
 */
public final class Setting<T> {

    /** The prefix of a setting's key in a Flink configuration. */
    public static final String FLINK_PREFIX = "dtlab.";

    private static final String ENVIRONMENT_PREFIX = "DTLAB_";
    private static final String FILE_SUFFIX = "-file";

    private final String key;
    private final Class<T> type;
    private final T defaultValue; // null: none, the setting is required
    private final String defaultDescription; // null: the default value says it
    private final String description;
    private final boolean secret;
    private final boolean fileVariant;
    private final List<String> deprecatedKeys;
    private final long min;
    private final long max;

    private Setting(
            String key,
            Class<T> type,
            T defaultValue,
            String defaultDescription,
            String description,
            boolean secret,
            boolean fileVariant,
            List<String> deprecatedKeys,
            long min,
            long max) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultDescription = defaultDescription;
        this.description = description;
        this.secret = secret;
        this.fileVariant = fileVariant;
        this.deprecatedKeys = List.copyOf(deprecatedKeys);
        this.min = min;
        this.max = max;
    }

    /**
     * Starts a declaration: hierarchical, lower case, dash-separated leaves ({@code
     * webhook.max-in-flight}).
     */
    public static Builder key(String key) {
        Objects.requireNonNull(key, "key cannot be null");
        if (!key.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*(\\.[a-z][a-z0-9]*(-[a-z0-9]+)*)*")) {
            throw new IllegalArgumentException(
                    "a setting's key is lower case, dotted, with dash-separated words: " + key);
        }
        return new Builder(key);
    }

    /** The first step of a declaration: the type. */
    public static final class Builder {

        private final String key;

        private Builder(String key) {
            this.key = key;
        }

        public TypedBuilder<String> stringType() {
            return new TypedBuilder<>(key, String.class);
        }

        public TypedBuilder<Integer> intType() {
            return new TypedBuilder<>(key, Integer.class);
        }
    }

    /** The second step of a declaration: the default. */
    public static final class TypedBuilder<T> {

        private final String key;
        private final Class<T> type;

        private TypedBuilder(String key, Class<T> type) {
            this.key = key;
            this.type = type;
        }

        /** The value when no source gives one. */
        public Setting<T> defaultValue(T value) {
            Objects.requireNonNull(value, "a default value cannot be null: use noDefaultValue()");
            return new Setting<>(
                    key,
                    type,
                    value,
                    null,
                    "",
                    false,
                    false,
                    List.of(),
                    Long.MIN_VALUE,
                    Long.MAX_VALUE);
        }

        /**
         * No default: a program that reads it with {@link Settings#get} fails without it, one that
         * reads it with {@link Settings#optional} decides itself (say how with {@link
         * Setting#withDefaultDescription}).
         */
        public Setting<T> noDefaultValue() {
            return new Setting<>(
                    key,
                    type,
                    null,
                    null,
                    "",
                    false,
                    false,
                    List.of(),
                    Long.MIN_VALUE,
                    Long.MAX_VALUE);
        }
    }

    /** What the setting does, for {@code --help} and docs/settings.md. */
    public Setting<T> withDescription(String description) {
        return new Setting<>(
                key,
                type,
                defaultValue,
                defaultDescription,
                Objects.requireNonNull(description, "description cannot be null"),
                secret,
                fileVariant,
                deprecatedKeys,
                min,
                max);
    }

    /** Says what happens without a value, where the default value alone does not. */
    public Setting<T> withDefaultDescription(String defaultDescription) {
        return new Setting<>(
                key,
                type,
                defaultValue,
                Objects.requireNonNull(defaultDescription, "defaultDescription cannot be null"),
                description,
                secret,
                fileVariant,
                deprecatedKeys,
                min,
                max);
    }

    /** A password or token: never printed, and best given through the environment or a file. */
    public Setting<T> secret() {
        return new Setting<>(
                key,
                type,
                defaultValue,
                defaultDescription,
                description,
                true,
                fileVariant,
                deprecatedKeys,
                min,
                max);
    }

    /**
     * The value may also come from a file: {@code --key-file PATH} (or {@code DTLAB_KEY_FILE}), the
     * file's content, stripped; a source's file beats its plain value.
     */
    public Setting<T> withFileVariant() {
        return new Setting<>(
                key,
                type,
                defaultValue,
                defaultDescription,
                description,
                secret,
                true,
                deprecatedKeys,
                min,
                max);
    }

    /** Earlier spellings that program arguments and Flink configurations still accept. */
    public Setting<T> withDeprecatedKeys(String... keys) {
        return new Setting<>(
                key,
                type,
                defaultValue,
                defaultDescription,
                description,
                secret,
                fileVariant,
                List.of(keys),
                min,
                max);
    }

    /** A whole number of at least {@code min}. */
    public Setting<T> atLeast(long min) {
        return between(min, Long.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max}. */
    public Setting<T> between(long min, long max) {
        if (type != Integer.class) {
            throw new IllegalStateException(key + " is not a whole number: it has no range");
        }
        if (min > max) {
            throw new IllegalArgumentException("an empty range for " + key);
        }
        Setting<T> bounded =
                new Setting<>(
                        key,
                        type,
                        defaultValue,
                        defaultDescription,
                        description,
                        secret,
                        fileVariant,
                        deprecatedKeys,
                        min,
                        max);
        if (defaultValue != null) {
            bounded.check(defaultValue, key + "'s default");
        }
        return bounded;
    }

    // -- what it is

    public String key() {
        return key;
    }

    public Class<T> type() {
        return type;
    }

    public boolean hasDefaultValue() {
        return defaultValue != null;
    }

    /** The default value, or null if there is none (as Flink's {@code ConfigOption}). */
    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /**
     * The default as a user reads it: the default description if there is one, else the value
     * ({@code empty} for an empty text), else {@code required}.
     */
    public String defaultText() {
        if (defaultDescription != null) {
            return defaultDescription;
        }
        if (defaultValue == null) {
            return "required";
        }
        return defaultValue.toString().isEmpty() ? "empty" : defaultValue.toString();
    }

    public boolean isSecret() {
        return secret;
    }

    public boolean hasFileVariant() {
        return fileVariant;
    }

    public List<String> deprecatedKeys() {
        return deprecatedKeys;
    }

    /** The accepted values beyond the type, e.g. {@code from 1 to 10}; empty if any goes. */
    public String rangeText() {
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
            return "";
        }
        if (max == Long.MAX_VALUE) {
            return "at least " + min;
        }
        return "from " + min + " to " + max;
    }

    /** {@code int} or {@code text}. */
    public String typeName() {
        return type == Integer.class ? "int" : "text";
    }

    // -- how it is spelled

    /** The program argument, {@code --twins.levels}. */
    public String flag() {
        return "--" + key;
    }

    /** The environment variable, {@code DTLAB_TWINS_LEVELS}. */
    public String environmentVariable() {
        return environmentVariable(key);
    }

    /** The key in a Flink configuration, {@code dtlab.twins.levels}. */
    public String flinkKey() {
        return FLINK_PREFIX + key;
    }

    /** The key of the file variant, {@code jdbc.password-file}. */
    public String fileKey() {
        return key + FILE_SUFFIX;
    }

    /** How an error names the setting: {@code --twins.levels (DTLAB_TWINS_LEVELS)}. */
    public String names() {
        return flag() + " (" + environmentVariable() + ")";
    }

    static String environmentVariable(String key) {
        return ENVIRONMENT_PREFIX
                + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    // -- values

    /**
     * Parses a value given as text.
     *
     * @param where how the source that gave it names the setting, for the error
     * @throws IllegalArgumentException naming {@code where}, if the text is not a value
     */
    public T parse(String text, String where) {
        String value = text.strip();
        if (type == String.class) {
            return type.cast(value);
        }
        try {
            return check(type.cast(Integer.parseInt(value)), where);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    where + " must be a whole number" + rangeClause() + ", got '" + text + "'");
        }
    }

    /**
     * Checks a value against the setting's range.
     *
     * @throws IllegalArgumentException naming {@code where}, if it is out of range
     */
    public T check(T value, String where) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(
                    where + " must be " + typeName() + ", got " + value.getClass().getSimpleName());
        }
        if (value instanceof Integer number && (number < min || number > max)) {
            throw new IllegalArgumentException(
                    where + " must be a whole number" + rangeClause() + ", got " + number);
        }
        return value;
    }

    private String rangeClause() {
        String range = rangeText();
        return range.isEmpty() ? "" : " " + range;
    }

    @Override
    public String toString() {
        return flag();
    }
}
