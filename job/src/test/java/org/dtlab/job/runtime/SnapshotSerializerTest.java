package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import org.dtlab.model.event.TwinSnapshot;

/** Flink's own checks of a serializer (round trips, copies, sequences, snapshots, threads). */
class SnapshotSerializerTest extends SerializerTestBase<TwinSnapshot> {

    @Override
    protected TypeSerializer<TwinSnapshot> createSerializer() {
        return new TwinOutputSerializers.SnapshotSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<TwinSnapshot> getTypeClass() {
        return TwinSnapshot.class;
    }

    @Override
    protected TwinSnapshot[] getTestData() {
        return TwinOutputSamples.snapshots();
    }
}
