package org.dtlab.job.runtime;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import org.dtlab.job.JobConstants;

/**
 * Sends each input to the twin operator of its twin's level: level 1 on the main output, level
 * {@code n} (2 … {@code levels}) on {@link JobConstants#level(int)}; twins deeper than {@code
 * levels} go with the last level. One output per record, so the record is not copied per level.
 */
public final class LevelRouter extends ProcessFunction<TwinInput, TwinInput> {

    private static final long serialVersionUID = 1L;

    private final int levels;

    /**
     * The side output of each level, made once: an {@code OutputTag} extracts its type
     * reflectively.
     */
    private transient OutputTag<TwinInput>[] outputs;

    public LevelRouter(int levels) {
        this.levels = levels;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open(OpenContext openContext) {
        outputs = new OutputTag[levels + 1];
        for (int level = 2; level <= levels; level++) {
            outputs[level] = JobConstants.level(level);
        }
    }

    @Override
    public void processElement(TwinInput input, Context ctx, Collector<TwinInput> out) {
        int level = Math.min(levelOf(input.path()), levels);
        if (level == 1) {
            out.collect(input);
        } else {
            ctx.output(outputs[level], input);
        }
    }

    /** The level of a canonical path: half its number of segments. */
    static int levelOf(String path) {
        int slashes = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                slashes++;
            }
        }
        return (slashes + 1) / 2;
    }
}
