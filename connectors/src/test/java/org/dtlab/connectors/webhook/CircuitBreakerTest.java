package org.dtlab.connectors.webhook;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTest {

    @Test
    void opensAfterFailuresInARowThenLetsOneProbeThrough() {
        CircuitBreaker breaker = new CircuitBreaker(3, 1_000);
        breaker.failed(0, "timeout");
        breaker.failed(10, "timeout");
        breaker.succeeded();
        breaker.failed(20, "timeout");
        breaker.failed(30, "timeout");
        assertThat(breaker.refuses(30)).as("a success in between resets the count").isFalse();

        breaker.failed(40, "HTTP 503");
        assertThat(breaker.refuses(40)).isTrue();
        assertThat(breaker.reason())
                .isEqualTo("circuit open: 3 failed attempts in a row (last: HTTP 503)");
        assertThat(breaker.refuses(1_039)).isTrue();
        assertThat(breaker.refuses(1_040)).isFalse();
        assertThat(breaker.probing(1_040)).isTrue();

        breaker.failed(1_100, "timeout");
        assertThat(breaker.refuses(1_100))
                .as("a failed probe opens it for another period")
                .isTrue();
        assertThat(breaker.refuses(2_099)).isTrue();
        assertThat(breaker.probing(2_100)).isTrue();

        breaker.succeeded();
        assertThat(breaker.isOpen()).isFalse();
        assertThat(breaker.probing(2_100)).isFalse();
        assertThat(breaker.refuses(2_100)).isFalse();
    }
}
