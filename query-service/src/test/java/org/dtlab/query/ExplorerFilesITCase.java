package org.dtlab.query;

import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.query.config.QueryServiceConfig;
import org.dtlab.query.testutils.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The twin explorer's files: served from memory, only they, with the API prefix filled in, without
 * a token.
 */
class ExplorerFilesITCase {

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @Test
    void theExplorerIsServedWithoutATokenAndNothingElseUnderUi() throws Exception {
        TestDatabase db = TestDatabase.h2();
        Map<String, String> settings =
                Map.of(
                        "port",
                        "0",
                        "jdbc.url",
                        db.url(),
                        "jdbc.user",
                        db.user(),
                        "kafka.bootstrap",
                        KAFKA.bootstrapServers(),
                        "prefix",
                        "/twins",
                        "auth.tokens",
                        "s3cret");
        try (QueryService service =
                QueryService.start(
                        QueryServiceConfig.fromArgs(
                                settings.entrySet().stream()
                                        .flatMap(e -> Stream.of("--" + e.getKey(), e.getValue()))
                                        .toArray(String[]::new),
                                Map.of()))) {
            ApiClient root = new ApiClient("http://127.0.0.1:" + service.port(), null);

            HttpResponse<String> page = root.get("/ui");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type"))
                    .hasValue("text/html; charset=utf-8");
            assertThat(page.body())
                    .contains("data-api-prefix=\"/twins\"", "/ui/explorer.js")
                    .doesNotContain("{{");
            assertThat(root.get("/ui/").body()).isEqualTo(page.body());
            assertThat(root.get("/ui/explorer.js").body()).contains("function stream(");
            assertThat(root.get("/ui/explorer.js").headers().firstValue("Content-Type"))
                    .hasValue("text/javascript; charset=utf-8");
            assertThat(root.get("/ui/explorer.css").statusCode()).isEqualTo(200);
            assertThat(root.get("/ui/pom.xml").statusCode()).isEqualTo(404);
            assertThat(root.get("/ui/%2e%2e%2fopenapi.yaml").statusCode()).isEqualTo(404);
            assertThat(root.send("POST", "/ui", "{}", "application/json").statusCode())
                    .isEqualTo(405);
            assertThat(
                            new ApiClient("http://127.0.0.1:" + service.port() + "/twins", null)
                                    .get("/type")
                                    .statusCode())
                    .as("the API itself still needs the token")
                    .isEqualTo(401);
        }
    }
}
