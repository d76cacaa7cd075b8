package org.dtlab.model.journal;

import org.dtlab.model.Names;
import org.dtlab.model.telemetry.TwinPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class JournalLimitsTest {

    @Test
    void theLongestTwinPathFitsItsColumns() {
        List<String> segments = new ArrayList<>();
        for (int i = 0; i < 2 * TwinPath.MAX_LEVELS; i++) {
            segments.add("n".repeat(Names.MAX_LENGTH));
        }

        assertThat(new TwinPath(segments).toString()).hasSizeLessThanOrEqualTo(JournalLimits.PATH);
    }

    @Test
    void theSchemaUsesEveryDeclaredWidthAndNoOther() {
        String schema = String.join(";\n", JournalSchema.statements());
        Set<Integer> used = new HashSet<>();
        Matcher varchar = Pattern.compile("VARCHAR\\((\\d+)\\)").matcher(schema);
        while (varchar.find()) {
            used.add(Integer.parseInt(varchar.group(1)));
        }

        assertThat(schema).doesNotContain("${");
        assertThat(used)
                .containsExactlyInAnyOrderElementsOf(Set.copyOf(JournalLimits.BY_NAME.values()));
    }

    @Test
    void fitCutsOnlyTextLongerThanTheWidth() {
        assertThat(JournalLimits.fit("abc", 3)).isEqualTo("abc");
        assertThat(JournalLimits.fit("abcd", 3)).isEqualTo("abc");
        assertThat(JournalLimits.fit("", 3)).isEmpty();
    }
}
