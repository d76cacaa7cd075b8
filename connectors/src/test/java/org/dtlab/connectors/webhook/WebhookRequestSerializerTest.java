package org.dtlab.connectors.webhook;

import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookRequestSerializerTest {

    @Test
    void bufferedRequestsSurviveACheckpointRoundTrip() throws Exception {
        WebhookRequest small =
                new WebhookRequest("m/1#1#Creation", "w", "http://127.0.0.1:1/x", "{}", 0);
        WebhookRequest large =
                new WebhookRequest(
                        "m/2#7#StateChange", "wé", "http://h:2/y", "x".repeat(100_000), 4);
        WebhookRequestSerializer serializer = new WebhookRequestSerializer();

        BufferedRequestState<WebhookRequest> restored =
                serializer.deserialize(
                        serializer.getVersion(),
                        serializer.serialize(
                                new BufferedRequestState<>(
                                        List.of(
                                                new RequestEntryWrapper<>(small, 10),
                                                new RequestEntryWrapper<>(large, 100_020)))));

        assertThat(restored.getBufferedRequestEntries())
                .extracting(RequestEntryWrapper::getRequestEntry)
                .containsExactly(small, large);
    }

    @Test
    void backoffDoublesUpToItsLimit() {
        WebhookOptions options = new WebhookOptions(1_000, 6, 250, 1_500, 4, 100, 5, 1_000);

        assertThat(List.of(1, 2, 3, 4, 5))
                .extracting(options::backoffMs)
                .containsExactly(250L, 500L, 1_000L, 1_500L, 1_500L);
    }
}
