package org.dtlab.launcher.backtest;

import com.fasterxml.jackson.databind.ObjectReader;
import org.dtlab.model.event.Reject;
import org.dtlab.model.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a back-test rejected, by reason, with one example each, for the summary: the reasons that
 * rejected most first, at most {@link #MAX_REASONS} of them (the rejects files hold every record).
 */
record RejectSummary(long total, List<Reason> byReason) {

    static final int MAX_REASONS = 10;
    private static final int MAX_EXAMPLE_CHARS = 200;

    /** One reason: how many records it rejected and one of them (abbreviated). */
    record Reason(String reason, long count, String example) {}

    static RejectSummary of(List<Path> rejectFiles) throws IOException {
        ObjectReader reader = Json.mapper().readerFor(Reject.class);
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, String> examples = new LinkedHashMap<>();
        long total = 0;
        for (Path file : rejectFiles) {
            try (Stream<String> lines = Files.lines(file)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    Reject reject = reader.readValue(line);
                    String reason = reject.reason();
                    counts.computeIfAbsent(reason, r -> new long[1])[0]++;
                    examples.putIfAbsent(reason, abbreviate(reject.payload()));
                    total++;
                }
            }
        }
        List<Reason> reasons =
                counts.entrySet().stream()
                        .map(e -> new Reason(e.getKey(), e.getValue()[0], examples.get(e.getKey())))
                        .sorted(
                                Comparator.comparingLong(Reason::count)
                                        .reversed()
                                        .thenComparing(Reason::reason))
                        .limit(MAX_REASONS)
                        .toList();
        return new RejectSummary(total, reasons);
    }

    private static String abbreviate(String payload) {
        if (payload == null) {
            return "";
        }
        String oneLine = payload.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_EXAMPLE_CHARS
                ? oneLine
                : oneLine.substring(0, MAX_EXAMPLE_CHARS) + "...";
    }
}
