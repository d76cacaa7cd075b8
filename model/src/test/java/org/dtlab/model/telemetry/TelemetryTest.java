package org.dtlab.model.telemetry;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TelemetryTest {

    @Test
    void itsDatetimeIsTheInstantItWasMadeOfToTheNanosecond() {
        for (Instant t :
                new Instant[] {
                    Instant.parse("2026-01-01T00:00:00.123456789Z"),
                    Instant.parse("1969-12-31T23:59:59.999Z"),
                    Instant.EPOCH,
                    Instant.MIN,
                    Instant.MAX
                }) {
            Telemetry telemetry = new Telemetry(3, 1.5, t);
            assertThat(telemetry.datetime()).isEqualTo(t);
            assertThat(telemetry.atSameTime(4, 2.5)).isEqualTo(new Telemetry(4, 2.5, t));
        }
    }

    @Test
    void itsMillisecondsAreTheInstantsAlsoBeforeTheEpoch() {
        for (String t :
                new String[] {
                    "2026-01-01T00:00:00.123456789Z",
                    "1969-12-31T23:59:59.9995Z",
                    "1969-12-31T23:59:59Z",
                    "1900-06-01T12:00:00.000001Z"
                }) {
            Instant instant = Instant.parse(t);
            assertThat(new Telemetry(0, 0, instant).epochMilli())
                    .as(t)
                    .isEqualTo(instant.toEpochMilli());
        }
        assertThatThrownBy(() -> new Telemetry(0, 0, Instant.MAX).epochMilli())
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void oneIsAfterAnotherByItsDatetimeToTheNanosecond() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Telemetry at = new Telemetry(0, 1, t);

        assertThat(new Telemetry(1, 0, t.plusNanos(1)).isAfter(at)).isTrue();
        assertThat(new Telemetry(1, 0, t.plusSeconds(1).minusNanos(999_999_999)).isAfter(at))
                .isTrue();
        assertThat(new Telemetry(1, 0, t).isAfter(at)).isFalse();
        assertThat(new Telemetry(1, 0, t.minusNanos(1)).isAfter(at)).isFalse();
    }

    @Test
    void numbersThatAreNoDatetimeAreRefused() {
        assertThatThrownBy(() -> new Telemetry(0, 0, 0, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Telemetry(0, 0, 0, 1_000_000_000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Telemetry(0, 0, Instant.MAX.getEpochSecond() + 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Telemetry(0, 0, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("datetime");
    }
}
