package org.dtlab.job.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.dtlab.model.ValidationException;

/** Turns parse and validation failures into the one-line reasons of reject rows. */
final class Rejects {

    private Rejects() {}

    static String reason(Exception e) {
        Throwable cause = e;
        // Jackson wraps a record constructor's ValidationException; the user wants that message.
        while (cause instanceof ValueInstantiationException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ValidationException) {
            return cause.getMessage();
        }
        if (cause instanceof JsonProcessingException json) {
            return "malformed JSON: " + json.getOriginalMessage();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
