package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's own checks of a serializer (copies, sequences, snapshots, duplicates, threads). */
class TwinInputSerializerBaseTest extends SerializerTestBase<TwinInput> {

    @Override
    protected TypeSerializer<TwinInput> createSerializer() {
        return new TwinInputSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<TwinInput> getTypeClass() {
        return TwinInput.class;
    }

    @Override
    protected TwinInput[] getTestData() {
        return TwinInputSerializerTest.shapes();
    }
}
