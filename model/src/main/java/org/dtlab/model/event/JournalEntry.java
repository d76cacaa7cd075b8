package org.dtlab.model.event;

import java.time.Instant;

/**
 * One accepted telemetry in the observation journal: primary key ({@code path}, {@code sequence}).
 */
public record JournalEntry(String path, long sequence, int idx, double value, Instant datetime) {}
