package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeutils.TypeSerializer;

import org.dtlab.model.state.TwinState;

/**
 * The snapshot of {@link TwinStateSerializer} (see {@link FormatSnapshot} for how a change of
 * format, or state written by Flink's POJO serializer before this one, is handled).
 */
public final class TwinStateSerializerSnapshot extends FormatSnapshot<TwinState> {

    /** The format {@link TwinStateSerializer} writes. */
    static final int CURRENT_VERSION = 1;

    /** For Flink, which reads snapshots by class name; also the snapshot of the current format. */
    public TwinStateSerializerSnapshot() {
        super("TwinState", CURRENT_VERSION);
    }

    @Override
    TypeSerializer<TwinState> serializerOf(int format) {
        return TwinStateSerializer.INSTANCE; // only format 1 exists
    }
}
