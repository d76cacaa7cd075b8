package org.dtlab.model;

/**
 * The character set of names a user chooses: path segments (type names and instance ids), webhook
 * names and spec ids.
 *
 * <p>1 to 128 characters from {@code A-Z a-z 0-9 _ - . : @ ~}, not {@code .} or {@code ..}. The
 * original accepted anything and crashed on characters its actor names did not allow; these are the
 * characters that travel unescaped in a URL path and a Kafka key.
 */
public final class Names {

    public static final int MAX_LENGTH = 128;
    public static final String ALLOWED = "1-128 characters from A-Z a-z 0-9 _ - . : @ ~";

    private Names() {}

    /**
     * Whether the name is 1 to {@value #MAX_LENGTH} allowed characters and not {@code .} or {@code
     * ..}. Checked character by character: every twin path of every record goes through here.
     */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isAllowed(name.charAt(i))) {
                return false;
            }
        }
        return !name.equals(".") && !name.equals("..");
    }

    /** Whether a name may contain the character: {@code A-Z a-z 0-9 _ - . : @ ~}. */
    public static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '-'
                || c == '.'
                || c == ':'
                || c == '@'
                || c == '~';
    }

    /** Returns the name, or throws a {@link ValidationException} that names what is wrong. */
    public static String check(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new ValidationException(what + " is required");
        }
        if (!isValid(name)) {
            throw new ValidationException(
                    "invalid " + what + " '" + abbreviate(name) + "': use " + ALLOWED);
        }
        return name;
    }

    static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
