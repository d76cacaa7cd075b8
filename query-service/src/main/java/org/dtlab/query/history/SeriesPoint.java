package org.dtlab.query.history;

import java.time.Instant;

/**
 * One bucket of a series: its start (a multiple of the step since 1970-01-01T00:00Z, so buckets of
 * the same step line up across requests), the aggregate of its values, and how many values it had.
 */
public record SeriesPoint(Instant datetime, double value, long count) {}
