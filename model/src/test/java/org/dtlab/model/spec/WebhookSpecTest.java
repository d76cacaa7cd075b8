package org.dtlab.model.spec;

import org.dtlab.model.event.TwinEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSpecTest {

    private static final WebhookTarget TARGET =
            new WebhookTarget("localhost", 8082, "hook", false, null);

    @Test
    void matchesByEventTypeTwinTypeAndWholeSegmentPrefix() {
        TwinEvent change = event(EventType.STATE_CHANGE, "building/b1/floor/f1", "floor");

        assertThat(hook("*", null, EventType.STATE_CHANGE).matches(change)).isTrue();
        assertThat(hook(null, null, EventType.STATE_CHANGE).matches(change)).isTrue();
        assertThat(hook("*", null, EventType.CREATION).matches(change)).isFalse();
        assertThat(hook("floor", null, EventType.STATE_CHANGE).matches(change)).isTrue();
        assertThat(hook("building", null, EventType.STATE_CHANGE).matches(change)).isFalse();
        assertThat(hook("*", "/building/b1", EventType.STATE_CHANGE).matches(change)).isTrue();
        assertThat(hook("*", "/building/b1/", EventType.STATE_CHANGE).matches(change)).isTrue();
        assertThat(hook("*", "/building/b", EventType.STATE_CHANGE).matches(change)).isFalse();
    }

    @Test
    void theTargetBuildsTheUrl() {
        assertThat(TARGET.url()).isEqualTo("http://localhost:8082/hook");
        assertThat(new WebhookTarget("h", 443, "/x", true, null).url())
                .isEqualTo("https://h:443/x");
    }

    private static WebhookSpec hook(String dtType, String prefix, EventType type) {
        return new WebhookSpec("w", TARGET, dtType, prefix, type, null);
    }

    private static TwinEvent event(EventType type, String path, String dtType) {
        return new TwinEvent(
                TwinEvent.idOf(path, 1, type), type, path, dtType, 1, Instant.EPOCH, List.of());
    }
}
