package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The snapshot of {@link TwinInputSerializer} (see {@link FormatSnapshot} for how a change of
 * format, or state written by Flink's POJO serializer, is handled).
 */
public final class TwinInputSerializerSnapshot extends FormatSnapshot<TwinInput> {

    /** The format {@link TwinInputSerializer} writes. */
    static final int CURRENT_VERSION = 1;

    /** For Flink, which reads snapshots by class name; also the snapshot of the current format. */
    public TwinInputSerializerSnapshot() {
        super("TwinInput", CURRENT_VERSION);
    }

    @Override
    TypeSerializer<TwinInput> serializerOf(int format) {
        return TwinInputSerializer.INSTANCE; // only format 1 exists
    }
}
