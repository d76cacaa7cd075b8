package org.dtlab.model.spec;

import java.util.List;

/** Checks on the lists of a definition as Jackson hands them over. */
final class Lists {

    private Lists() {}

    /**
     * Whether the list holds a null (immutable lists refuse {@code contains(null)}, so it is
     * iterated).
     */
    static boolean hasNull(List<?> values) {
        if (values == null) {
            return false;
        }
        for (Object value : values) {
            if (value == null) {
                return true;
            }
        }
        return false;
    }
}
