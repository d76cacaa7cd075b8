package org.dtlab.model.telemetry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.dtlab.model.ValidationException;
import org.dtlab.model.spec.OperatorSpec;

import java.time.Instant;

/**
 * A record of the keyed topic {@code dtlab.observations} (Kafka key = {@code path}): a telemetry
 * for one twin, or a command on one twin's own operators. Commands travel with the observations so
 * that they are ordered with the twin's telemetry.
 *
 * <pre>
 * {"path":"machinery/m1","idx":0,"value":5.5,"datetime":"2020-09-13T15:31:21.671Z"}
 * {"path":"machinery/m1","name":"height","value":5.5}
 * {"path":"machinery/m1","command":"operator.put","operator":{"name":"n","implementation":"count","input":[0],"output":[1]}}
 * {"path":"machinery/m1","command":"operator.delete"}
 * </pre>
 *
 * <p>{@code datetime} is the event time; a message without one takes the time its record was
 * written to Kafka, so that a replay gives it the same time again. For an operator command it is
 * the operator's creation time.
 *
 * <p>{@code controlVersion} (optional) is the version of the registry the writer validated the
 * message against (the query service sets it). The twin job holds the message back until it has
 * applied that many control records, so a telemetry never overtakes the type it needs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TwinMessage(
        String path,
        Command command,
        Integer idx,
        String name,
        Double value,
        Instant datetime,
        OperatorSpec operator,
        Long controlVersion) {

    /** What a message asks of its twin. */
    public enum Command {
        @JsonProperty("telemetry")
        TELEMETRY,
        /** Add an operator to the twin, or replace the one with the same name. */
        @JsonProperty("operator.put")
        PUT_OPERATOR,
        /** Remove all of the twin's own operators (the original's DELETE). */
        @JsonProperty("operator.delete")
        DELETE_OPERATORS
    }

    public TwinMessage {
        if (path == null || path.isBlank()) {
            throw new ValidationException("path is required");
        }
        if (command == null) {
            command = Command.TELEMETRY;
        }
        switch (command) {
            case TELEMETRY -> {
                if ((idx == null) == (name == null)) {
                    throw new ValidationException("telemetry needs exactly one of idx and name");
                }
                if (value == null || !Double.isFinite(value)) {
                    throw new ValidationException("telemetry value must be a finite number");
                }
            }
            case PUT_OPERATOR -> {
                if (operator == null) {
                    throw new ValidationException("operator.put needs an operator");
                }
            }
            case DELETE_OPERATORS -> {
                // nothing else needed
            }
        }
    }

    public static TwinMessage telemetry(String path, int idx, double value, Instant datetime) {
        return new TwinMessage(path, Command.TELEMETRY, idx, null, value, datetime, null, null);
    }

    public static TwinMessage namedTelemetry(
            String path, String name, double value, Instant datetime) {
        return new TwinMessage(path, Command.TELEMETRY, null, name, value, datetime, null, null);
    }

    public static TwinMessage putOperator(String path, OperatorSpec operator, Instant datetime) {
        return new TwinMessage(
                path, Command.PUT_OPERATOR, null, null, null, datetime, operator, null);
    }

    public static TwinMessage deleteOperators(String path, Instant datetime) {
        return new TwinMessage(
                path, Command.DELETE_OPERATORS, null, null, null, datetime, null, null);
    }

    /** This message, stamped with the registry version it was validated against. */
    public TwinMessage validatedAt(long registryVersion) {
        return new TwinMessage(
                path, command, idx, name, value, datetime, operator, registryVersion);
    }

    /** This message with its datetime set. */
    public TwinMessage at(Instant time) {
        return new TwinMessage(path, command, idx, name, value, time, operator, controlVersion);
    }
}
