package org.dtlab.query.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import org.dtlab.model.json.DateTimes;
import org.dtlab.model.spec.PathSpec;
import org.dtlab.model.spec.TelemetryExtractor;
import org.dtlab.model.spec.TelemetryExtractorSpec;
import org.dtlab.model.spec.ValueSpec;
import org.dtlab.model.telemetry.Telemetry;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The original ingest service's extraction (dtlab-api.md §11.2): raw JSON → (twin path, telemetry)
 * pairs, by JSONPath (Jayway, over Jackson nodes).
 *
 * <p>Departures, all recorded in docs/decisions.md: any JSON number is accepted where a number is
 * declared and numeric strings where {@code String} is; {@code hh} in a datetime pattern reads the
 * hour of day 0–23 (the original made 12:xx midnight).
 */
public final class Extraction {

    private static final Configuration JSON_PATH =
            Configuration.builder()
                    .jsonProvider(new JacksonJsonNodeJsonProvider())
                    .mappingProvider(new JacksonMappingProvider())
                    .options(Option.SUPPRESS_EXCEPTIONS)
                    .build();

    /** One telemetry for one twin, in document order. */
    public record Extracted(String path, Telemetry telemetry) {}

    private Extraction() {}

    /**
     * Selects the nodes of an object spec's path ({@code $.near_earth_objects.*[*]}); empty if
     * none.
     */
    public static List<JsonNode> select(JsonNode document, String path) {
        JsonNode found = read(document, path);
        List<JsonNode> nodes = new ArrayList<>();
        if (found == null || found.isNull() || found.isMissingNode()) {
            return nodes;
        }
        if (found.isArray()) {
            found.forEach(nodes::add);
        } else {
            nodes.add(found);
        }
        return nodes;
    }

    /**
     * Extracts the telemetry of one node. Ids that the node lacks are looked up in {@code document}
     * (the whole posted document, in array mode).
     */
    public static List<Extracted> extract(
            TelemetryExtractorSpec spec, JsonNode node, JsonNode document, Instant now) {
        List<Extracted> out = new ArrayList<>();
        for (TelemetryExtractor extractor : spec.extractors()) {
            Instant datetime = datetime(extractor, node, now);
            for (ValueSpec value : extractor.values()) {
                Double extracted = value(node, value);
                if (extracted == null || (extracted == 0.0 && !value.keepsZeros())) {
                    continue;
                }
                for (List<PathSpec> pathSpecs : extractor.paths()) {
                    String path = twinPath(pathSpecs, node, document);
                    if (path != null) {
                        out.add(
                                new Extracted(
                                        path, new Telemetry(value.idx(), extracted, datetime)));
                    }
                }
            }
        }
        return out;
    }

    private static String twinPath(List<PathSpec> specs, JsonNode node, JsonNode document) {
        StringBuilder path = new StringBuilder();
        for (PathSpec spec : specs) {
            String id;
            if (!spec.path().startsWith("$")) {
                id = spec.path();
            } else {
                JsonNode found = scalar(read(node, spec.path()));
                if (found == null && document != node) {
                    found = scalar(read(document, spec.path()));
                }
                if (found == null) {
                    return null;
                }
                id =
                        isInt(spec.valueType()) && found.isNumber()
                                ? Long.toString(found.asLong())
                                : found.asText().toLowerCase(Locale.ROOT).replace(' ', '_');
            }
            if (path.length() > 0) {
                path.append('/');
            }
            path.append(spec.name()).append('/').append(id);
        }
        return path.toString();
    }

    private static Double value(JsonNode node, ValueSpec spec) {
        String type = spec.valueType() == null ? "String" : spec.valueType();
        if (type.equalsIgnoreCase("Literal")) {
            return parse(spec.path());
        }
        JsonNode found = scalar(read(node, spec.path()));
        if (found == null) {
            return null;
        }
        if (found.isNumber()) {
            return found.asDouble();
        }
        if (found.isTextual()) {
            String text = found.asText().strip();
            return text.isEmpty() ? 0.0 : parse(text);
        }
        return null;
    }

    private static Instant datetime(TelemetryExtractor extractor, JsonNode node, Instant now) {
        if (extractor.datetimePath() == null) {
            return now;
        }
        JsonNode found = scalar(read(node, extractor.datetimePath()));
        String format = extractor.datetimeFmt();
        if (found == null || format == null) {
            return now;
        }
        try {
            Instant read =
                    switch (format) {
                        case "epoch_string" ->
                                Instant.ofEpochMilli(Long.parseLong(found.asText().strip()));
                        case "epoch_long" -> Instant.ofEpochMilli(found.asLong());
                        default ->
                                LocalDateTime.parse(found.asText(), pattern(format))
                                        .toInstant(ZoneOffset.UTC);
                    };
            // Outside the supported range the job would refuse it: as unreadable as a wrong format.
            return DateTimes.isSupported(read) ? read : now;
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return now;
        }
    }

    /**
     * A pattern as the original used it, but with {@code hh} read as hour of day (see class doc).
     */
    private static DateTimeFormatter pattern(String format) {
        return new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .appendPattern(format.replace("hh", "HH"))
                .toFormatter(Locale.US);
    }

    private static JsonNode read(JsonNode node, String path) {
        try {
            return JsonPath.using(JSON_PATH).parse(node).read(path);
        } catch (RuntimeException e) {
            return null; // an invalid path extracts nothing, as a missing value does
        }
    }

    /** A value node; a one-element array (what a filter returns) counts as its element. */
    private static JsonNode scalar(JsonNode node) {
        if (node != null && node.isArray() && node.size() == 1) {
            node = node.get(0);
        }
        return node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()
                ? null
                : node;
    }

    private static boolean isInt(String valueType) {
        return valueType != null
                && (valueType.equalsIgnoreCase("Int") || valueType.equalsIgnoreCase("Integer"));
    }

    private static Double parse(String text) {
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
