package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import org.dtlab.model.state.TwinState;

/** Flink's own checks of a serializer (copies, sequences, snapshots, duplicates, threads). */
class TwinStateSerializerBaseTest extends SerializerTestBase<TwinState> {

    @Override
    protected TypeSerializer<TwinState> createSerializer() {
        return new TwinStateSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<TwinState> getTypeClass() {
        return TwinState.class;
    }

    @Override
    protected TwinState[] getTestData() {
        return TwinStateSerializerTest.shapes();
    }
}
