package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import org.dtlab.model.event.JournalEntry;

/** Flink's own checks of a serializer (round trips, copies, sequences, snapshots, threads). */
class JournalEntrySerializerTest extends SerializerTestBase<JournalEntry> {

    @Override
    protected TypeSerializer<JournalEntry> createSerializer() {
        return new TwinOutputSerializers.JournalEntrySerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<JournalEntry> getTypeClass() {
        return JournalEntry.class;
    }

    @Override
    protected JournalEntry[] getTestData() {
        return TwinOutputSamples.journalEntries();
    }
}
