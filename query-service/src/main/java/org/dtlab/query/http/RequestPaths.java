package org.dtlab.query.http;

import org.dtlab.query.api.ApiException;

import java.util.ArrayList;
import java.util.List;

/**
 * A request path as the route tables see it: one trailing slash dropped, then split into segments —
 * raw at the root (its paths are fixed), each percent-decoded on its own under the prefix.
 */
public final class RequestPaths {

    private RequestPaths() {}

    /** The path without one trailing slash ({@code /type/} is {@code /type}; {@code /} stays). */
    public static String trimmed(String path) {
        return path.length() > 1 && path.endsWith("/")
                ? path.substring(0, path.length() - 1)
                : path;
    }

    /** The segments of a trimmed path, undecoded. */
    public static List<String> rawSegments(String path) {
        return List.of(path.substring(1).split("/", -1));
    }

    /**
     * The segments of what follows the prefix, each percent-decoded on its own (an encoded slash
     * stays in its segment).
     *
     * @throws ApiException 404 for nothing after the prefix, 400 for a bad escape
     */
    public static List<String> segments(String rest) {
        String[] raw = rest.split("/", -1);
        if (raw[0].isEmpty()) {
            throw new ApiException(404, "The requested resource could not be found.");
        }
        List<String> segments = new ArrayList<>(raw.length);
        for (String segment : raw) {
            segments.add(decode(segment, "the path", false));
        }
        return segments;
    }

    static String decode(String raw, String what, boolean plusIsSpace) {
        try {
            return PercentDecoding.decode(raw, what, plusIsSpace);
        } catch (PercentDecoding.BadEncodingException e) {
            throw new ApiException(400, e.getMessage());
        }
    }
}
