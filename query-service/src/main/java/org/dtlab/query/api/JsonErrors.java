package org.dtlab.query.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.dtlab.model.ValidationException;
import org.dtlab.model.json.DateTimes;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Why a request body could not be read, in words for the client: the field (as a JSON path such as
 * {@code operators[0].input}) or the position (line and column), and what was expected — never
 * Jackson's own text, which names Java classes and parser settings.
 */
final class JsonErrors {

    private static final String MALFORMED = "The request content was malformed: ";

    private JsonErrors() {}

    /** The 400 for a body that failed to read or to validate. */
    static ApiException badRequest(Throwable error) {
        return ValidationException.in(error)
                .map(invalid -> new ApiException(400, invalid.getMessage()))
                .orElseGet(() -> new ApiException(400, MALFORMED + describe(jsonCause(error))));
    }

    private static JsonProcessingException jsonCause(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof JsonProcessingException json) {
                return json;
            }
        }
        return null;
    }

    private static String describe(JsonProcessingException e) {
        if (e == null) {
            return "the body could not be read";
        }
        if (e instanceof StreamConstraintsException) {
            StreamReadConstraints limits = StreamReadConstraints.defaults();
            return "a value exceeds the limits of a request"
                    + at(e)
                    + " (numbers of at most "
                    + limits.getMaxNumberLength()
                    + " digits, strings of at most "
                    + limits.getMaxStringLength()
                    + " characters, at most "
                    + limits.getMaxNestingDepth()
                    + " nested arrays and objects)";
        }
        if (e instanceof JsonEOFException) {
            return "the JSON ends too early" + at(e);
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return "not valid JSON" + at(e) + ": " + withoutSource(e.getOriginalMessage());
        }
        if (e.getOriginalMessage().startsWith("Trailing token")) {
            return "there is more after the JSON value" + at(e) + "; send exactly one JSON value";
        }
        String field = field(mapping);
        if (e instanceof InvalidFormatException format
                && format.getTargetType() == Instant.class
                && format.getValue() instanceof String text) {
            return field + ": " + dateTimeProblem(text);
        }
        if (e instanceof InvalidFormatException format
                && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return field
                    + ": '"
                    + format.getValue()
                    + "' is not one of "
                    + enumNames(format.getTargetType());
        }
        if (e instanceof ValueInstantiationException
                && e.getCause() instanceof NullPointerException) {
            // A spec's constructor copying a list with a null in it (List.copyOf).
            return field + " holds a null where a value is required";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return field + " must be " + expected(mismatch.getTargetType());
        }
        return field + " is missing, null or of the wrong type";
    }

    /** {@code 'operators[0].input[2]'}, or {@code the body} for the whole document. */
    private static String field(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "the body" : "'" + path + "'";
    }

    private static String at(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null || location.getLineNr() < 1
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String expected(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == Instant.class) {
            return "an ISO-8601 datetime with a zone, e.g. 2020-09-13T15:31:21.671Z";
        }
        if (type.isEnum()) {
            return "one of " + enumNames(type);
        }
        return Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")
                ? "an object"
                : "of another type";
    }

    private static String dateTimeProblem(String text) {
        try {
            DateTimes.parse(text);
            return "invalid datetime '" + text + "'";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The names an enum is written with in JSON ({@code @JsonProperty}), else its constants. */
    private static String enumNames(Class<?> type) {
        return Arrays.stream(type.getFields())
                .filter(java.lang.reflect.Field::isEnumConstant)
                .map(
                        f -> {
                            com.fasterxml.jackson.annotation.JsonProperty name =
                                    f.getAnnotation(
                                            com.fasterxml.jackson.annotation.JsonProperty.class);
                            return name != null ? name.value() : f.getName();
                        })
                .collect(Collectors.joining(", "));
    }

    /** A parser message without the {@code [Source: …]} excerpt that Jackson appends to some. */
    private static String withoutSource(String message) {
        return message.replaceAll("\\s*\\(for \\w+ starting at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll("\\s*at \\[Source:[^\\]]*\\]", "");
    }
}
