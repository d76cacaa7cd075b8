package org.dtlab.query.api;

/** A request the API answers with an error status and a one-line text. */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public Reply reply() {
        return Reply.text(status, getMessage());
    }
}
