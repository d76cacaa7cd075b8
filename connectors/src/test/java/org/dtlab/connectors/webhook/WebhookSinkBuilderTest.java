package org.dtlab.connectors.webhook;

import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;

import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSinkBuilderTest {

    private static final DeadLetterStore NOWHERE =
            () ->
                    new DeadLetterStore.Writer() {
                        @Override
                        public void write(DeadLetter letter) {}

                        @Override
                        public void close() {}
                    };

    @Test
    void theDefaultsHandDeliveriesOverWithoutWaiting() {
        AsyncSinkWriterConfiguration config =
                WebhookSink.builder().setDeadLetterStore(NOWHERE).build().writerConfiguration();

        assertThat(config.getMaxBatchSize()).isEqualTo(50);
        assertThat(config.getMaxInFlightRequests()).isEqualTo(4);
        assertThat(config.getMaxBufferedRequests()).isEqualTo(1_000);
        assertThat(config.getMaxTimeInBufferMS()).isEqualTo(10);
        assertThat(config.getMaxBatchSizeInBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.getMaxRecordSizeInBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(config.getRequestTimeoutMS()).isEqualTo(60_000);
        assertThat(config.isFailOnTimeout()).isFalse();
    }

    @Test
    void theSettingsReachTheWriter() {
        AsyncSinkWriterConfiguration config =
                WebhookSink.builder()
                        .setDeadLetterStore(NOWHERE)
                        .setWebhookOptions(WebhookOptions.defaults())
                        .setMaxBatchSize(10)
                        .setMaxInFlightRequests(2)
                        .setMaxBufferedRequests(11)
                        .setMaxTimeInBufferMS(5)
                        .setMaxBatchSizeInBytes(2048)
                        .setMaxRecordSizeInBytes(1024)
                        .build()
                        .writerConfiguration();

        assertThat(config.getMaxBatchSize()).isEqualTo(10);
        assertThat(config.getMaxInFlightRequests()).isEqualTo(2);
        assertThat(config.getMaxBufferedRequests()).isEqualTo(11);
        assertThat(config.getMaxTimeInBufferMS()).isEqualTo(5);
        assertThat(config.getMaxBatchSizeInBytes()).isEqualTo(2048);
        assertThat(config.getMaxRecordSizeInBytes()).isEqualTo(1024);
    }

    @Test
    void aDeadLetterStoreIsRequired() {
        assertThatThrownBy(() -> WebhookSink.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("deadLetterStore is required");
        assertThatThrownBy(() -> invalid(b -> b.setWebhookOptions(null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhookOptions must not be null");
    }

    @Test
    void eachInvalidSettingIsNamed() {
        assertInvalid(b -> b.setMaxBatchSize(0), "maxBatchSize must be at least 1, got 0");
        assertInvalid(
                b -> b.setMaxInFlightRequests(0), "maxInFlightRequests must be at least 1, got 0");
        assertInvalid(
                b -> b.setMaxBufferedRequests(50),
                "maxBufferedRequests must be greater than maxBatchSize (50), got 50");
        assertInvalid(
                b -> b.setMaxTimeInBufferMS(0), "maxTimeInBufferMS must be at least 1, got 0");
        assertInvalid(
                b -> b.setMaxRecordSizeInBytes(0),
                "maxRecordSizeInBytes must be at least 1, got 0");
        assertInvalid(
                b -> b.setMaxBatchSizeInBytes(1024),
                "maxBatchSizeInBytes must be at least maxRecordSizeInBytes (4194304), got 1024");
    }

    private static void assertInvalid(UnaryOperator<WebhookSinkBuilder> setting, String message) {
        assertThatThrownBy(() -> invalid(setting))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    private static WebhookSink invalid(UnaryOperator<WebhookSinkBuilder> setting) {
        return setting.apply(WebhookSink.builder().setDeadLetterStore(NOWHERE)).build();
    }
}
