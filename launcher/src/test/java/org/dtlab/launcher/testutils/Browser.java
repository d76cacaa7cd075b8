package org.dtlab.launcher.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A headless Chromium driven over the W3C WebDriver protocol by Debian's {@code chromedriver}: a
 * session, a page, and scripts run in it — all a test of a page needs, with no client library (the
 * protocol is a few JSON requests).
 *
 * <p>Needs the packages {@code chromium} and {@code chromium-driver}. Without them the test is
 * skipped, saying so — or fails, with {@code -Ddtlab.test.browser=required}.
 */
public final class Browser implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Process driver;
    private final String session;

    private Browser(Process driver, String session) {
        this.driver = driver;
        this.session = session;
    }

    public static Browser start() throws Exception {
        String chromedriver = onPath("chromedriver");
        String chromium = onPath("chromium");
        if (chromedriver == null || chromium == null) {
            String why =
                    "no chromium/chromedriver on the PATH: apt-get install -y chromium"
                            + " chromium-driver";
            if ("required".equals(System.getProperty("dtlab.test.browser"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(
                    why
                            + " (browser test skipped; -Ddtlab.test.browser=required makes this a"
                            + " failure)");
        }
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process driver =
                new ProcessBuilder(chromedriver, "--port=" + port)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        String base = "http://127.0.0.1:" + port;
        ObjectNode capabilities = JSON.createObjectNode();
        ObjectNode chrome =
                capabilities
                        .putObject("capabilities")
                        .putObject("alwaysMatch")
                        .putObject("goog:chromeOptions");
        chrome.put("binary", chromium);
        chrome.putArray("args")
                .add("--headless=new")
                .add("--no-sandbox")
                .add("--disable-gpu")
                .add("--disable-dev-shm-usage");
        JsonNode created;
        try {
            // chromedriver takes a moment to listen; a refused connection until then
            created =
                    await().atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(100))
                            .ignoreException(java.net.ConnectException.class)
                            .until(
                                    () -> call(base, "POST", "/session", capabilities),
                                    java.util.Objects::nonNull);
        } catch (RuntimeException e) {
            driver.destroy();
            throw e;
        }
        return new Browser(driver, base + "/session/" + created.get("sessionId").asText());
    }

    public void open(String url) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("url", url);
        call(session, "POST", "/url", body);
    }

    /**
     * Runs a script in the page ({@code return …;} gives its value; {@code arguments[i]} the args).
     */
    public JsonNode script(String script, Object... args) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.set("args", JSON.valueToTree(List.of(args)));
        return call(session, "POST", "/execute/sync", body);
    }

    @Override
    public void close() throws Exception {
        try {
            call(session, "DELETE", "", null);
        } finally {
            driver.destroy();
        }
    }

    private static JsonNode call(String base, String method, String path, JsonNode body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpResponse<String> response =
                HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body()).get("value");
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "WebDriver "
                            + method
                            + " "
                            + path
                            + ": "
                            + response.statusCode()
                            + " "
                            + answer);
        }
        return answer;
    }

    private static String onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File file = new File(dir, command);
            if (file.canExecute()) {
                return file.getAbsolutePath();
            }
        }
        return null;
    }
}
