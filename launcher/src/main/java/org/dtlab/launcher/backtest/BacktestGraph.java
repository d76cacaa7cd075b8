package org.dtlab.launcher.backtest;

import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

import org.dtlab.connectors.journal.JournalOptions;
import org.dtlab.connectors.journal.JournalSinks;
import org.dtlab.job.TwinOutputs;
import org.dtlab.job.backtest.ArchiveFilter;
import org.dtlab.job.backtest.BacktestPipeline;
import org.dtlab.job.backtest.BacktestPipeline.TwinOrder;
import org.dtlab.job.runtime.TwinOutputSerializers;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.json.Json;

import javax.annotation.Nullable;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * Assembles a back-test's job: the twin pipeline over the archive's lines, and its outputs to the
 * sinks of the run — the selected events, the coalesced states and the rejects to NDJSON files of
 * the output directory, and with a journal database the events also to its back-test table.
 */
final class BacktestGraph {

    /** A long interval: about one state per twin, flushed at the end of input. */
    private static final long SNAPSHOT_INTERVAL_MS = 60_000;

    private final String run;
    private final EventSelection selection;
    private final String eventsOption;
    private final BacktestOutput output;
    @Nullable private final JournalOptions journal;

    /**
     * @param run the run id every result is tagged with
     * @param selection the events to write
     * @param eventsOption {@code --events} as given, which names the selecting operator
     * @param journal the database of the result tables, or null to write files only
     */
    BacktestGraph(
            String run,
            EventSelection selection,
            String eventsOption,
            BacktestOutput output,
            @Nullable JournalOptions journal) {
        this.run = run;
        this.selection = selection;
        this.eventsOption = eventsOption;
        this.output = output;
        this.journal = journal;
    }

    void assemble(
            StreamExecutionEnvironment env,
            DataStream<String> lines,
            List<String> specs,
            ArchiveFilter filter,
            TwinOrder order) {
        TwinOutputs outputs =
                BacktestPipeline.build(env, lines, specs, filter, SNAPSHOT_INTERVAL_MS, order);
        if (selection != EventSelection.NONE) {
            writeEvents(outputs.events());
        }
        // Separate lambdas, not one method reference for both streams: Java deserializes two
        // serializable lambdas of the same method as one, and the second stream's records would be
        // cast to the first's type.
        outputs.snapshots()
                .map(state -> toJson(state), Types.STRING)
                .uid("dtlab-backtest-state-json")
                .sinkTo(ndjson(output.states().toUri(), "states"))
                .uid("dtlab-backtest-states");
        outputs.rejects()
                .map(reject -> toJson(reject), Types.STRING)
                .uid("dtlab-backtest-reject-json")
                .sinkTo(ndjson(output.rejects().toUri(), "rejects"))
                .uid("dtlab-backtest-rejects");
    }

    private void writeEvents(DataStream<TwinEvent> events) {
        DataStream<TwinEvent> written =
                selection == EventSelection.ALL
                        ? events
                        : events.filter(selection::keeps)
                                .uid("dtlab-backtest-event-selection")
                                .name("events: " + eventsOption);
        if (journal != null) {
            written.sinkTo(JournalSinks.backtestEvents(journal, run))
                    .uid("dtlab-backtest-events-jdbc");
        }
        written.map(new WrittenEvents(), TwinOutputSerializers.EVENT)
                .uid("dtlab-backtest-event-count")
                .name("count events")
                .sinkTo(ndjson(output.events().toUri(), "events", new EventLine(run)))
                .uid("dtlab-backtest-events");
    }

    private static String toJson(Object value) throws IOException {
        return Json.mapper().writeValueAsString(value);
    }

    private static FileSink<String> ndjson(URI dir, String prefix) {
        return ndjson(dir, prefix, new SimpleStringEncoder<>("UTF-8"));
    }

    private static <T> FileSink<T> ndjson(URI dir, String prefix, Encoder<T> lines) {
        return FileSink.forRowFormat(new Path(dir), lines)
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(
                        OutputFileConfig.builder()
                                .withPartPrefix(prefix)
                                .withPartSuffix(".ndjson")
                                .build())
                .build();
    }
}
