package org.dtlab.model.json;

import org.dtlab.model.telemetry.TwinMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DateTimesTest {

    @Test
    void theSupportedRangeIsYearsOneToNineThousandNineHundredNinetyNine() {
        assertThat(DateTimes.parse("0001-01-01T00:00:00Z")).isEqualTo(DateTimes.MIN);
        assertThat(DateTimes.parse("9999-12-31T23:59:59.9999Z")).isEqualTo(DateTimes.MAX);
        assertThat(DateTimes.format(DateTimes.MIN)).isEqualTo("0001-01-01T00:00:00.000Z");
        assertThat(DateTimes.format(DateTimes.MAX)).isEqualTo("9999-12-31T23:59:59.999Z");
        assertThat(DateTimes.ofEpochMilli(DateTimes.MAX.toEpochMilli())).isEqualTo(DateTimes.MAX);
    }

    @Test
    void datetimesOutsideTheRangeAreRefusedNotShifted() {
        for (String text : new String[] {"-2000-06-01T00:00:00Z", "0000-06-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
                "+10000-01-01T00:00:00Z", "0001-01-01T00:30:00+01:00", "9999-12-31T23:00:00-01:00"}) {
            assertThatThrownBy(() -> DateTimes.parse(text)).as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("datetime '" + text + "' is out of range: supported are 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z");
        }
        assertThatThrownBy(() -> DateTimes.ofEpochMilli(Long.MIN_VALUE)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> DateTimes.ofEpochMilli(DateTimes.MAX.toEpochMilli() + 1)).hasMessageContaining("out of range");
    }

    @Test
    void aYearBeforeOneIsWrittenWithItsSignNeverAsTheYearOfItsEra() {
        assertThat(DateTimes.format(Instant.parse("-2000-06-01T00:00:00Z"))).isEqualTo("-2000-06-01T00:00:00.000Z");
        assertThat(DateTimes.format(Instant.parse("0000-06-01T00:00:00Z"))).isEqualTo("0000-06-01T00:00:00.000Z");
    }

    @Test
    void recordsWithUnsupportedDatetimesAreRefusedWhenRead() {
        assertThatThrownBy(() -> Json.mapper().readValue(
                "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"datetime\":\"-2000-06-01T00:00:00Z\"}", TwinMessage.class))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Json.mapper().readValue(
                "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"datetime\":" + Long.MAX_VALUE + "}", TwinMessage.class))
                .hasMessageContaining("out of range");
    }
}
