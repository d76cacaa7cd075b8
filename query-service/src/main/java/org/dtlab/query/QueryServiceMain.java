package org.dtlab.query;

import org.dtlab.query.config.QueryServiceConfig;

/**
 * Runs the query service: {@code java -jar dtlab-query-service.jar --jdbc.url … --kafka.bootstrap
 * …}. The settings are in {@link org.dtlab.query.config.QueryServiceSettings} and docs/settings.md.
 * Stops cleanly on SIGTERM.
 */
public final class QueryServiceMain {

    private QueryServiceMain() {}

    public static void main(String[] args) throws Exception {
        QueryServiceConfig config;
        try {
            config = QueryServiceConfig.fromArgs(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("dtlab query service: " + e.getMessage());
            System.exit(2);
            return;
        }
        QueryService service = QueryService.start(config);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        service.close();
                                    } catch (Exception e) {
                                        System.err.println(
                                                "dtlab query service: error while stopping: "
                                                        + e.getMessage());
                                    }
                                },
                                "dtlab-query-shutdown"));
    }
}
