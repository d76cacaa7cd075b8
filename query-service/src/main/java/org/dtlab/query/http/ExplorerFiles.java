package org.dtlab.query.http;

import org.dtlab.query.api.Reply;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The twin explorer's static files ({@code /ui}), read from the classpath once at start and served
 * from memory: a fixed set, so no request can name any other file. They hold no data — the page
 * reads the API with the user's token — so they are served without authentication, like {@code
 * /openapi.yaml}. The page learns the API's prefix from {@code index.html}.
 */
final class ExplorerFiles {

    private static final Map<String, String> TYPES =
            Map.of(
                    "index.html", "text/html; charset=utf-8",
                    "explorer.js", "text/javascript; charset=utf-8",
                    "explorer.css", "text/css; charset=utf-8");

    private final Map<String, byte[]> files;

    ExplorerFiles(String apiPrefix) {
        this.files =
                Map.of(
                        "index.html",
                                read("index.html")
                                        .replace("{{API_PREFIX}}", apiPrefix)
                                        .getBytes(StandardCharsets.UTF_8),
                        "explorer.js", read("explorer.js").getBytes(StandardCharsets.UTF_8),
                        "explorer.css", read("explorer.css").getBytes(StandardCharsets.UTF_8));
    }

    /** One of the files ({@code index.html} is the page), or a 404 for any other name. */
    Reply reply(String name) {
        byte[] body = files.get(name);
        return body == null ? Reply.status(404) : new Reply(200, TYPES.get(name), body);
    }

    private static String read(String name) {
        try (InputStream in = ExplorerFiles.class.getResourceAsStream("/ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("ui/" + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
