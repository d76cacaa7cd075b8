package org.dtlab.query.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The query service's settings: {@code --key value} arguments, with {@code DTLAB_KEY} environment
 * variables as the fallback (dots and dashes become underscores).
 *
 * @param port HTTP port ({@code --port}, 8081; 0 picks a free one)
 * @param host bind address ({@code --host}, 127.0.0.1)
 * @param prefix path prefix of the DT Lab routes ({@code --prefix}, {@code /dtlab-alligator})
 * @param jdbcUrl the journal database ({@code --jdbc.url}, required)
 * @param kafkaBootstrap the Kafka cluster ({@code --kafka.bootstrap}, required)
 * @param observationPartitions partitions of the observation topic when the service creates it (4)
 * @param maxBodyBytes larger request bodies are refused with 413 ({@code --max-body-bytes}, 1 MiB)
 * @param tokens bearer tokens that may call the API; empty = no authentication ({@code --auth.tokens}
 *     comma-separated, or {@code --auth.tokens-file} one per line)
 * @param confirmTimeoutMs how long a write waits for Kafka (and its control record to come back)
 */
public record QueryServiceConfig(
        int port,
        String host,
        String prefix,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String kafkaBootstrap,
        String observationsTopic,
        String controlTopic,
        int observationPartitions,
        int maxBodyBytes,
        Set<String> tokens,
        long confirmTimeoutMs) {

    public QueryServiceConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0-65535, got " + port);
        }
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("--prefix must start with / and not end with one, got " + prefix);
        }
        tokens = Set.copyOf(tokens);
    }

    public static QueryServiceConfig fromArgs(String[] args, Map<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --key value pairs, got '" + args[i] + "'");
            }
            values.put(args[i].substring(2), args[++i]);
        }
        Settings s = new Settings(values, environment);
        return new QueryServiceConfig(
                s.integer("port", 8081),
                s.get("host", "127.0.0.1"),
                s.get("prefix", "/dtlab-alligator"),
                s.required("jdbc.url"),
                s.get("jdbc.user", ""),
                s.password(),
                s.required("kafka.bootstrap"),
                s.get("kafka.observations-topic", "dtlab.observations"),
                s.get("kafka.control-topic", "dtlab.control"),
                s.integer("kafka.observation-partitions", 4),
                s.integer("max-body-bytes", 1024 * 1024),
                s.tokens(),
                s.integer("confirm-timeout-ms", 10_000));
    }

    /** Where a setting comes from: an argument, else the environment, else the default. */
    private record Settings(Map<String, String> args, Map<String, String> environment) {

        String get(String key, String fallback) {
            String value = args.get(key);
            if (value == null) {
                value = environment.get(envName(key));
            }
            return value == null || value.isBlank() ? fallback : value.strip();
        }

        String required(String key) {
            String value = get(key, null);
            if (value == null) {
                throw new IllegalArgumentException("missing --" + key + " (or " + envName(key) + ")");
            }
            return value;
        }

        int integer(String key, int fallback) {
            String value = get(key, null);
            if (value == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + key + " must be a whole number, got '" + value + "'");
            }
        }

        String password() {
            String file = get("jdbc.password-file", null);
            return file != null ? read(file, "jdbc.password-file").strip() : get("jdbc.password", "");
        }

        Set<String> tokens() {
            String file = get("auth.tokens-file", null);
            String text = file != null ? read(file, "auth.tokens-file") : get("auth.tokens", "");
            return Arrays.stream(text.split("[,\\n]"))
                    .map(String::strip)
                    .filter(t -> !t.isEmpty() && !t.startsWith("#"))
                    .collect(Collectors.toSet());
        }

        private static String read(String file, String key) {
            try {
                return Files.readString(Path.of(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --" + key + " " + file + ": " + e.getMessage());
            }
        }

        private static String envName(String key) {
            return "DTLAB_" + key.toUpperCase().replace('.', '_').replace('-', '_');
        }
    }
}
