package org.dtlab.launcher.local;

import java.nio.file.Path;

/**
 * What {@code dtlab local} runs with.
 *
 * @param jdbcUrl the journal database; {@code null} = embedded H2 under the data directory
 * @param kafkaBootstrap an existing Kafka cluster; {@code null} = an embedded broker
 * @param flinkUiPort the Flink web UI's port; 0 = no web UI
 * @param profile {@code local} or {@code pi}: the Flink configuration template
 * @param authTokens bearer tokens of the API, comma-separated; {@code null} or empty = no
 *     authentication
 * @param authTokensFile a file of bearer tokens, one a line ({@code null} = none)
 */
public record LocalSettings(
        String host,
        int port,
        Path dataDir,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String kafkaBootstrap,
        int flinkUiPort,
        String profile,
        Integer parallelism,
        String authTokens,
        String authTokensFile) {}
