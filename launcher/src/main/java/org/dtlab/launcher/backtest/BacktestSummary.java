package org.dtlab.launcher.backtest;

import org.apache.flink.api.common.JobExecutionResult;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.dtlab.job.JobConstants;
import org.dtlab.launcher.backtest.BacktestExecution.FinishedJob;
import org.dtlab.model.json.DateTimes;
import org.dtlab.model.json.Json;

import javax.annotation.Nullable;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a back-test did: the contents of {@code summary.json} (and of its row in {@code
 * dtlab_backtest_runs}), and what {@link SummaryPrinter} tells the terminal.
 *
 * @param input the archive's absolute path, or {@code jdbc:dtlab_journal}
 * @param lateObservations observations older than their twin's newest when they were applied
 * @param firstEventTime the earliest observation read, or null if none was
 * @param lastEventTime the latest observation read, or null if none was
 * @param eventTimeSpanSeconds from the first observation to the last (0 without observations)
 * @param wallSeconds from submission to the end of the job, with the run without the sort that was
 *     given up for it, if any
 * @param outputBytes the bytes of the output directory, without {@code summary.json}
 * @param phaseSeconds how long each phase took: read, sort (BATCH), process, write
 * @param twinOrder how each twin's records were ordered: {@code checked} (BATCH without the sort,
 *     each twin's records checked to arrive in time order), {@code sorted} (BATCH, Flink's sort) or
 *     {@code arrival} (STREAMING, archive order)
 * @param sortReason why a BATCH run sorted: {@code --sort always}, or the record out of order that
 *     ended the run without the sort; null if it did not sort
 * @param abandonedSeconds how long the run without the sort ran before a record out of order ended
 *     it (included in {@code wallSeconds}); 0 if none was given up
 * @param parallelism the job's parallel instances
 * @param cluster the REST address of the session cluster it ran on; null: in the command's process
 */
record BacktestSummary(
        String runId,
        String mode,
        String input,
        long inputRecords,
        RejectSummary rejects,
        long lateObservations,
        int twins,
        @Nullable Instant firstEventTime,
        @Nullable Instant lastEventTime,
        double eventTimeSpanSeconds,
        double wallSeconds,
        EventSelection events,
        long outputBytes,
        Map<String, Double> phaseSeconds,
        String twinOrder,
        @Nullable String sortReason,
        double abandonedSeconds,
        int parallelism,
        @Nullable String cluster) {

    BacktestSummary {
        // a copy that keeps the phases in order
        phaseSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(phaseSeconds));
    }

    /** The summary of a finished job, from its counters. */
    static BacktestSummary of(
            String runId,
            String mode,
            String input,
            FinishedJob job,
            RejectSummary rejects,
            int twins,
            EventSelection events,
            long outputBytes,
            String twinOrder,
            @Nullable String sortReason,
            double abandonedSeconds,
            int parallelism,
            @Nullable String cluster) {
        JobExecutionResult result = job.result();
        long records = result.<Long>getAccumulatorResult(JobConstants.RECORDS_READ);
        Long late = result.getAccumulatorResult(JobConstants.LATE_OBSERVATIONS);
        // Over no observations, the job's minimum stays at MAX_VALUE and its maximum at MIN_VALUE.
        Long first = result.getAccumulatorResult(JobConstants.FIRST_EVENT_TIME);
        Long last = result.getAccumulatorResult(JobConstants.LAST_EVENT_TIME);
        double span = first == null || last == null || last < first ? 0 : (last - first) / 1000.0;
        return new BacktestSummary(
                runId,
                mode,
                input,
                records,
                rejects,
                late == null ? 0 : late,
                twins,
                first == null || first == Long.MAX_VALUE ? null : Instant.ofEpochMilli(first),
                last == null || last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(last),
                span,
                job.wallSeconds() + abandonedSeconds,
                events,
                outputBytes,
                job.phaseSeconds(),
                twinOrder,
                sortReason,
                abandonedSeconds,
                parallelism,
                cluster);
    }

    long recordsPerSecond() {
        return Math.round(inputRecords / wallSeconds);
    }

    /** How many times faster than real time the run replayed the observations; null if unknown. */
    @Nullable
    Long speedUpVersusRealTime() {
        return eventTimeSpanSeconds == 0 ? null : Math.round(eventTimeSpanSeconds / wallSeconds);
    }

    /** The summary as pretty-printed JSON, its keys in a fixed order. */
    String toJson() throws JsonProcessingException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("runId", runId);
        summary.put("mode", mode);
        summary.put("parallelism", parallelism);
        // null: in the command's own process
        summary.put("cluster", cluster);
        summary.put("input", input);
        summary.put("inputRecords", inputRecords);
        summary.put("rejects", rejects.total());
        summary.put("rejectsByReason", rejects.byReason());
        // BATCH applies each twin's observations in event-time order; STREAMING in archive order.
        summary.put("lateObservations", lateObservations);
        summary.put("twins", twins);
        summary.put("firstEventTime", format(firstEventTime));
        summary.put("lastEventTime", format(lastEventTime));
        summary.put("eventTimeSpanSeconds", eventTimeSpanSeconds);
        summary.put("wallSeconds", Math.round(wallSeconds * 100) / 100.0);
        summary.put("recordsPerSecond", recordsPerSecond());
        summary.put("events", events.name().toLowerCase(Locale.ROOT));
        summary.put("outputBytes", outputBytes);
        // As the progress line saw them (to about a second): read, sort (BATCH), process, write.
        summary.put("phaseSeconds", phaseSeconds);
        // checked: BATCH without the sort (every twin's records arrived in time order); sorted:
        // BATCH with Flink's sort (sortReason says why); arrival: STREAMING, archive order.
        summary.put("twinOrder", twinOrder);
        summary.put("sortReason", sortReason);
        summary.put("abandonedSeconds", Math.round(abandonedSeconds * 100) / 100.0);
        summary.put("speedUpVersusRealTime", speedUpVersusRealTime());
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary);
    }

    @Nullable
    private static String format(@Nullable Instant instant) {
        return instant == null ? null : DateTimes.format(instant);
    }
}
