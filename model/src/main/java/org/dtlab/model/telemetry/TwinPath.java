package org.dtlab.model.telemetry;

import org.dtlab.model.Names;
import org.dtlab.model.ValidationException;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address of a twin (DT Lab's DtPath): {@code T1/i1[/T2/i2…]}, type and instance id
 * alternating, one to {@value #MAX_LEVELS} levels. It is the Flink key and the Kafka record key.
 *
 * <p>This class checks only the syntax; whether the types exist and declare each other as children
 * is the {@code Registry}'s question.
 */
public final class TwinPath {

    public static final int MAX_LEVELS = 10;

    private final List<String> segments;

    /**
     * The canonical text, kept because the path is the key of every record: built once, not joined
     * again for each use.
     */
    private final String text;

    public TwinPath(List<String> segments) {
        this(check(List.copyOf(segments)), null);
    }

    /**
     * A path of checked segments. {@code text}: the segments' canonical text when the caller
     * already has it, else null.
     */
    private TwinPath(List<String> segments, String text) {
        this.segments = segments;
        this.text = text != null ? text : String.join("/", segments);
    }

    private static List<String> check(List<String> segments) {
        if (segments.isEmpty() || segments.size() % 2 != 0 || segments.size() > 2 * MAX_LEVELS) {
            throw new ValidationException(
                    "a twin path has 1 to "
                            + MAX_LEVELS
                            + " levels of type/instance: "
                            + String.join("/", segments));
        }
        for (int i = 0; i < segments.size(); i++) {
            Names.check(i % 2 == 0 ? "type name" : "instance id", segments.get(i));
        }
        return segments;
    }

    /** The type names and instance ids, alternating, the root's type first. */
    public List<String> segments() {
        return segments;
    }

    /** Parses {@code T1/i1/T2/i2}; a leading or trailing slash is ignored. */
    public static TwinPath parse(String path) {
        if (path == null || path.isBlank()) {
            throw new ValidationException("twin path is required");
        }
        // The common case, every record's key: split while checking, each name checked once.
        String[] segments = new String[2 * MAX_LEVELS];
        int count = scanCanonical(path, segments);
        if (count > 0) {
            return new TwinPath(List.of(Arrays.copyOf(segments, count)), path);
        }
        String trimmed = path;
        if (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return new TwinPath(Arrays.asList(trimmed.split("/", -1)));
    }

    /**
     * The canonical text of a path, {@code parse(path).toString()}: a path that already is
     * canonical (no leading or trailing slash, 1 to {@value #MAX_LEVELS} levels, valid names) is
     * checked character by character and returned as it is; anything else goes through {@link
     * #parse}, which normalizes it or refuses it with its message.
     *
     * @throws ValidationException as {@link #parse} does
     */
    public static String canonical(String path) {
        return isCanonical(path) ? path : parse(path).toString();
    }

    /** Whether {@code parse(path).toString()} is {@code path} itself (checked without a regex). */
    private static boolean isCanonical(String path) {
        return scanCanonical(path, null) > 0;
    }

    /**
     * Checks that a path is canonical, character by character, and splits it into {@code into}
     * while doing so (unless it is null).
     *
     * @return the number of segments, or -1 when the path is not canonical
     */
    private static int scanCanonical(String path, String[] into) {
        if (path == null) {
            return -1;
        }
        int length = path.length();
        int segments = 0;
        int start = 0;
        for (int i = 0; i <= length; i++) {
            char c = i < length ? path.charAt(i) : '/';
            if (c == '/') {
                int size = i - start;
                if (size < 1
                        || size > Names.MAX_LENGTH
                        || segments == 2 * MAX_LEVELS
                        || (path.charAt(start) == '.'
                                && (size == 1 || (size == 2 && path.charAt(start + 1) == '.')))) {
                    return -1;
                }
                if (into != null) {
                    into[segments] = path.substring(start, i);
                }
                segments++;
                start = i + 1;
            } else if (!Names.isAllowed(c)) {
                return -1;
            }
        }
        return segments % 2 == 0 ? segments : -1;
    }

    /** Number of type/instance levels. */
    public int levels() {
        return segments.size() / 2;
    }

    /** The type at a level, 0 = the root. */
    public String typeAt(int level) {
        return segments.get(2 * level);
    }

    /** The twin's own type: the last type of the path. */
    public String type() {
        return segments.get(segments.size() - 2);
    }

    /** The twin's own instance id. */
    public String instanceId() {
        return segments.get(segments.size() - 1);
    }

    /** The parent twin, if this is a child. */
    public Optional<TwinPath> parent() {
        return levels() == 1
                ? Optional.empty()
                : Optional.of(
                        new TwinPath(
                                segments.subList(0, segments.size() - 2),
                                text.substring(
                                        0,
                                        text.length()
                                                - type().length()
                                                - instanceId().length()
                                                - 2)));
    }

    /** The path as the original's event {@code source}: {@code /T1/i1/T2/i2}. */
    public String source() {
        return "/" + this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TwinPath other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
