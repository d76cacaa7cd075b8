package org.dtlab.launcher;

/**
 * Something the user can fix kept a command from starting: the message says what and how, and is
 * printed as one line without a stack trace.
 */
public final class StartupException extends Exception {

    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message, null, false, false);
    }
}
