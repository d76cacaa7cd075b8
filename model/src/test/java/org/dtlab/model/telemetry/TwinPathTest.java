package org.dtlab.model.telemetry;

import org.dtlab.model.ValidationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwinPathTest {

    @Test
    void parsesLevelsAndParents() {
        TwinPath path = TwinPath.parse("/building/b1/floor/f1/");

        assertThat(path.toString()).isEqualTo("building/b1/floor/f1");
        assertThat(path.levels()).isEqualTo(2);
        assertThat(path.type()).isEqualTo("floor");
        assertThat(path.instanceId()).isEqualTo("f1");
        assertThat(path.parent()).contains(TwinPath.parse("building/b1"));
        assertThat(path.source()).isEqualTo("/building/b1/floor/f1");
        assertThat(TwinPath.parse("building/b1").parent()).isEmpty();
    }

    @Test
    void refusesOddLengthsTooDeepPathsAndBadCharacters() {
        assertThatThrownBy(() -> TwinPath.parse("machinery"))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> TwinPath.parse("a/1/b/2/c/3/d/4/e/5/f/6/g/7/h/8/i/9/j/10/k/11"))
                .hasMessageContaining("1 to 10 levels");
        assertThatThrownBy(() -> TwinPath.parse("machinery/m 1"))
                .hasMessageContaining("invalid instance id 'm 1'");
        assertThatThrownBy(() -> TwinPath.parse("machinery//m1/x"))
                .hasMessageContaining("instance id is required");
        assertThatThrownBy(() -> TwinPath.parse("a/.."))
                .hasMessageContaining("invalid instance id");
        assertThat(TwinPath.parse("a/1/b/2/c/3/d/4/e/5/f/6/g/7/h/8/i/9/j/10").levels())
                .isEqualTo(10);
        assertThat(TwinPath.parse("orbiting_body/earth-2:a.b@c~d").instanceId())
                .isEqualTo("earth-2:a.b@c~d");
    }

    @Test
    void theCanonicalTextIsWhatParsingGivesOrTheSameRefusal() {
        for (String path : samplePaths()) {
            assertThat(outcome(() -> TwinPath.canonical(path)))
                    .as(path)
                    .isEqualTo(outcome(() -> TwinPath.parse(path).toString()));
        }
        assertThat(outcome(() -> TwinPath.canonical(null)))
                .isEqualTo(outcome(() -> TwinPath.parse(null).toString()));
    }

    /**
     * Parsing splits a canonical path while checking it and skips the names' own check: it must
     * accept and refuse exactly what the segments' check does.
     */
    @Test
    void parsingAgreesWithTheSegmentsCheck() {
        for (String path : samplePaths()) {
            if (path.isBlank()) {
                continue;
            }
            String trimmed = path.startsWith("/") ? path.substring(1) : path;
            String bare =
                    trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
            String checked =
                    outcome(
                            () ->
                                    String.join(
                                            "|",
                                            new TwinPath(
                                                            java.util.Arrays.asList(
                                                                    bare.split("/", -1)))
                                                    .segments()));
            assertThat(outcome(() -> String.join("|", TwinPath.parse(path).segments())))
                    .as(path)
                    .isEqualTo(checked);
        }
    }

    private static java.util.List<String> samplePaths() {
        java.util.List<String> paths =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                "device/d1",
                                "/device/d1",
                                "device/d1/",
                                "/device/d1/",
                                "device",
                                "",
                                " ",
                                "device//d1",
                                "device/.",
                                "device/..",
                                "device/...",
                                "./d1",
                                "device/d 1",
                                "device/dé",
                                "a/1/b/2/c/3/d/4/e/5/f/6/g/7/h/8/i/9/j/10",
                                "a/1/b/2/c/3/d/4/e/5/f/6/g/7/h/8/i/9/j/10/k/11",
                                "t/" + "x".repeat(128),
                                "t/" + "x".repeat(129),
                                "orbiting_body/earth-2:a.b@c~d"));
        java.util.Random random = new java.util.Random(15);
        String alphabet = "ab/./_-~ é\t";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder path = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                path.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            paths.add(path.toString());
        }
        return paths;
    }

    @Test
    void theAllowedCharactersAreTheNamesPattern() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            assertThat(org.dtlab.model.Names.isAllowed(c))
                    .as("U+%04X", (int) c)
                    .isEqualTo(org.dtlab.model.Names.isValid("a" + c));
        }
    }

    private static String outcome(java.util.function.Supplier<String> canonical) {
        try {
            return "accepted " + canonical.get();
        } catch (ValidationException e) {
            return "refused: " + e.getMessage();
        }
    }
}
