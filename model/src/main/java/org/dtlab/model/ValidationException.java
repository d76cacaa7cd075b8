package org.dtlab.model;

import java.util.Optional;

/**
 * Bad input, with the message a user sees (the original DT Lab's texts where it had one).
 *
 * <p>Thrown for every record a user can get wrong, so it is cheap: no stack trace.
 */
public final class ValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ValidationException(String message) {
        super(message, null, false, false);
    }

    /**
     * The validation failure behind {@code error}, if there is one: Jackson wraps what a record's
     * constructor throws, and the user wants that message, not the wrapper's.
     */
    public static Optional<ValidationException> in(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ValidationException validation) {
                return Optional.of(validation);
            }
        }
        return Optional.empty();
    }
}
