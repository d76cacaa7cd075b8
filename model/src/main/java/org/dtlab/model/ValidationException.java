package org.dtlab.model;

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
}
