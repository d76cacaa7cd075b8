package org.dtlab.job;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.Reject;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;

/**
 * The output streams of the twin pipeline, for the caller to attach sinks to.
 *
 * @param events {@code Creation} and {@code StateChange} events (webhooks, events table)
 * @param journal every accepted telemetry with the twin's sequence number
 * @param snapshots the twin's state after every change (the {@code twin_state} upsert)
 * @param rejects every record that was not accepted, with the reason
 */
public record TwinOutputs(
        DataStream<TwinEvent> events,
        DataStream<JournalEntry> journal,
        DataStream<TwinSnapshot> snapshots,
        DataStream<Reject> rejects) {}
