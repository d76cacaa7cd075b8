package org.dtlab.model.json;

import org.dtlab.model.telemetry.TwinMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Random;

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
        for (String text :
                new String[] {
                    "-2000-06-01T00:00:00Z",
                    "0000-06-01T00:00:00Z",
                    "-999999999-01-01T00:00:00Z",
                    "+10000-01-01T00:00:00Z",
                    "0001-01-01T00:30:00+01:00",
                    "9999-12-31T23:00:00-01:00"
                }) {
            assertThatThrownBy(() -> DateTimes.parse(text))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "datetime '"
                                    + text
                                    + "' is out of range: supported are 0001-01-01T00:00:00.000Z to"
                                    + " 9999-12-31T23:59:59.999Z");
        }
        assertThatThrownBy(() -> DateTimes.ofEpochMilli(Long.MIN_VALUE))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> DateTimes.ofEpochMilli(DateTimes.MAX.toEpochMilli() + 1))
                .hasMessageContaining("out of range");
    }

    @Test
    void aYearBeforeOneIsWrittenWithItsSignNeverAsTheYearOfItsEra() {
        assertThat(DateTimes.format(Instant.parse("-2000-06-01T00:00:00Z")))
                .isEqualTo("-2000-06-01T00:00:00.000Z");
        assertThat(DateTimes.format(Instant.parse("0000-06-01T00:00:00Z")))
                .isEqualTo("0000-06-01T00:00:00.000Z");
    }

    @Test
    void recordsWithUnsupportedDatetimesAreRefusedWhenRead() {
        assertThatThrownBy(
                        () ->
                                Json.mapper()
                                        .readValue(
                                                "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"datetime\":\"-2000-06-01T00:00:00Z\"}",
                                                TwinMessage.class))
                .hasMessageContaining("out of range");
        assertThatThrownBy(
                        () ->
                                Json.mapper()
                                        .readValue(
                                                "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"datetime\":"
                                                        + Long.MAX_VALUE
                                                        + "}",
                                                TwinMessage.class))
                .hasMessageContaining("out of range");
    }

    /** The formatter and parser the hand-written paths must agree with, digit for digit. */
    private static final DateTimeFormatter REFERENCE_WRITE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static Instant referenceParse(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant()
                .truncatedTo(ChronoUnit.MILLIS);
    }

    @Test
    void theHandWrittenFormatAndParseAgreeWithTheIsoFormatterAcrossTheRange() {
        Random random = new Random(42);
        long min = DateTimes.MIN.getEpochSecond();
        long max = DateTimes.MAX.getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant instant =
                    Instant.ofEpochSecond(
                            min + (long) (random.nextDouble() * (max - min)),
                            random.nextInt(1_000_000_000));
            String text = DateTimes.format(instant);
            assertThat(text).isEqualTo(REFERENCE_WRITE.format(instant));
            assertThat(DateTimes.parse(text)).isEqualTo(referenceParse(text));
            String nanos =
                    REFERENCE_WRITE.format(instant).substring(0, 19)
                            + String.format(".%09dZ", instant.getNano());
            String fraction = nanos.substring(0, 20 + random.nextInt(10)) + "Z";
            String shape = fraction.endsWith(".Z") ? fraction.replace(".Z", "Z") : fraction;
            assertThat(DateTimes.parse(shape)).as(shape).isEqualTo(referenceParse(shape));
        }
    }

    @Test
    void invalidFieldsAreRefusedAsTheIsoParserRefusesThem() {
        for (String text :
                new String[] {
                    "2026-02-29T00:00:00Z",
                    "2026-02-30T00:00:00Z",
                    "2026-13-01T00:00:00Z",
                    "2026-00-01T00:00:00Z",
                    "2026-01-00T00:00:00Z",
                    "2026-01-01T24:00:00Z",
                    "2026-01-01T23:60:00Z",
                    "2026-01-01T23:59:60Z",
                    "2026-01-01T23:59:59.1234567890Z",
                    "2026-01-01T23:59:5xZ",
                    "2026-01-01 23:59:59Z",
                    "2026-1-01T23:59:59.000Z",
                    "+2026-01-01T00:00:00Z"
                }) {
            assertThatThrownBy(() -> DateTimes.parse(text))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> referenceParse(text))
                    .as(text)
                    .isInstanceOf(DateTimeParseException.class);
        }
        assertThat(DateTimes.parse("2026-01-01T23:59:59.Z"))
                .as("a point without digits, as ISO allows")
                .isEqualTo(Instant.parse("2026-01-01T23:59:59Z"));
        assertThat(DateTimes.parse("2024-02-29T12:00:00.5Z"))
                .isEqualTo(Instant.parse("2024-02-29T12:00:00.500Z"));
        assertThat(DateTimes.parse("2026-01-01t00:00:00z"))
                .as("ISO is case-insensitive: the slow path reads it")
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }
}
