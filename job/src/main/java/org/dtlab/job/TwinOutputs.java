package org.dtlab.job;

import org.apache.flink.streaming.api.datastream.DataStream;

import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.Reject;
import org.dtlab.model.event.SpecChange;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.event.WebhookDelivery;

/**
 * The output streams of the twin pipeline, for the caller to attach sinks to.
 *
 * @param events {@code Creation} and {@code StateChange} events (webhooks, events table)
 * @param journal every accepted telemetry with the twin's sequence number
 * @param snapshots the twin's state after its changes (the {@code twin_state} upsert)
 * @param webhookDeliveries each event for each webhook it matches
 * @param specChanges the specs applied from the control stream (once, not per parallel instance)
 * @param rejects every record that was not accepted, with the reason
 */
public record TwinOutputs(
        DataStream<TwinEvent> events,
        DataStream<JournalEntry> journal,
        DataStream<TwinSnapshot> snapshots,
        DataStream<WebhookDelivery> webhookDeliveries,
        DataStream<SpecChange> specChanges,
        DataStream<Reject> rejects) {}
