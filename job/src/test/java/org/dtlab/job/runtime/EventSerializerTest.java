package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import org.dtlab.model.event.TwinEvent;

/** Flink's own checks of a serializer (round trips, copies, sequences, snapshots, threads). */
class EventSerializerTest extends SerializerTestBase<TwinEvent> {

    @Override
    protected TypeSerializer<TwinEvent> createSerializer() {
        return new TwinOutputSerializers.EventSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<TwinEvent> getTypeClass() {
        return TwinEvent.class;
    }

    @Override
    protected TwinEvent[] getTestData() {
        return TwinOutputSamples.events();
    }
}
