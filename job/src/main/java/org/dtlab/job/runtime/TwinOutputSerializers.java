package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import org.dtlab.model.event.ActiveAlarm;
import org.dtlab.model.event.AlarmDetail;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.telemetry.Telemetry;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Hand-written serializers of the twin operator's outputs — the events, journal entries and
 * snapshots that cross the network to their sinks once per observation — in place of Flink's
 * reflective POJO serializer, which was the twin operator's largest cost after the twin logic
 * itself (docs/decisions.md §38). These types live only in flight, never in keyed or operator
 * state, so their format may change between versions without a migration.
 */
public final class TwinOutputSerializers {

    public static final TypeInformation<TwinEvent> EVENT =
            new ImmutableTypeInfo<>(TwinEvent.class, EventSerializer.INSTANCE);
    public static final TypeInformation<JournalEntry> JOURNAL_ENTRY =
            new ImmutableTypeInfo<>(JournalEntry.class, JournalEntrySerializer.INSTANCE);
    public static final TypeInformation<TwinSnapshot> SNAPSHOT =
            new ImmutableTypeInfo<>(TwinSnapshot.class, SnapshotSerializer.INSTANCE);

    private static final EventType[] EVENT_TYPES = EventType.values();

    private TwinOutputSerializers() {}

    /** The boilerplate of a serializer of an immutable type: a copy is the instance itself. */
    private abstract static class ImmutableSerializer<T> extends TypeSerializerSingleton<T> {

        private static final long serialVersionUID = 1L;

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public T copy(T from) {
            return from;
        }

        @Override
        public T copy(T from, T reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public T deserialize(T reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            serialize(deserialize(in), out);
        }
    }

    /** {@code id:str type:byte path:str dtType:str sequence:long created? state alarm?}. */
    public static final class EventSerializer extends ImmutableSerializer<TwinEvent> {

        private static final long serialVersionUID = 1L;
        public static final EventSerializer INSTANCE = new EventSerializer();

        @Override
        public TwinEvent createInstance() {
            return new TwinEvent("", EventType.CREATION, "", "", 0, Instant.EPOCH, List.of());
        }

        @Override
        public void serialize(TwinEvent e, DataOutputView out) throws IOException {
            StringValue.writeString(e.id(), out);
            out.writeByte(e.type().ordinal());
            StringValue.writeString(e.path(), out);
            StringValue.writeString(e.dtType(), out);
            out.writeLong(e.sequence());
            Wire.writeNullableInstant(e.created(), out);
            Wire.writeTelemetry(e.state(), out);
            AlarmDetail alarm = e.alarm();
            out.writeBoolean(alarm != null);
            if (alarm != null) {
                StringValue.writeString(alarm.name(), out);
                StringValue.writeString(alarm.severity(), out);
                Wire.writeNullableInstant(alarm.since(), out);
                Wire.writeTelemetry(alarm.values(), out);
            }
        }

        @Override
        public TwinEvent deserialize(DataInputView in) throws IOException {
            String id = StringValue.readString(in);
            EventType type = EVENT_TYPES[in.readUnsignedByte()];
            String path = StringValue.readString(in);
            String dtType = StringValue.readString(in);
            long sequence = in.readLong();
            Instant created = Wire.readNullableInstant(in);
            List<Telemetry> state = Wire.readTelemetry(in);
            AlarmDetail alarm =
                    in.readBoolean()
                            ? new AlarmDetail(
                                    StringValue.readString(in),
                                    StringValue.readString(in),
                                    Wire.readNullableInstant(in),
                                    Wire.readTelemetry(in))
                            : null;
            return new TwinEvent(id, type, path, dtType, sequence, created, state, alarm);
        }

        @Override
        public TypeSerializerSnapshot<TwinEvent> snapshotConfiguration() {
            return new EventSnapshot();
        }
    }

    /** {@code path:str sequence:long idx:int value:double datetime?}. */
    public static final class JournalEntrySerializer extends ImmutableSerializer<JournalEntry> {

        private static final long serialVersionUID = 1L;
        public static final JournalEntrySerializer INSTANCE = new JournalEntrySerializer();

        @Override
        public JournalEntry createInstance() {
            return new JournalEntry("", 0, 0, 0, Instant.EPOCH);
        }

        @Override
        public void serialize(JournalEntry j, DataOutputView out) throws IOException {
            StringValue.writeString(j.path(), out);
            out.writeLong(j.sequence());
            out.writeInt(j.idx());
            out.writeDouble(j.value());
            Wire.writeNullableInstant(j.datetime(), out);
        }

        @Override
        public JournalEntry deserialize(DataInputView in) throws IOException {
            return new JournalEntry(
                    StringValue.readString(in),
                    in.readLong(),
                    in.readInt(),
                    in.readDouble(),
                    Wire.readNullableInstant(in));
        }

        @Override
        public TypeSerializerSnapshot<JournalEntry> snapshotConfiguration() {
            return new JournalEntrySnapshot();
        }
    }

    /**
     * {@code path:str parentPath:str dtType:str instanceId:str version:long sequence:long state
     * operators updated? alarms}.
     */
    public static final class SnapshotSerializer extends ImmutableSerializer<TwinSnapshot> {

        private static final long serialVersionUID = 1L;
        public static final SnapshotSerializer INSTANCE = new SnapshotSerializer();

        @Override
        public TwinSnapshot createInstance() {
            return new TwinSnapshot("", null, "", "", 0, 0, List.of(), List.of(), Instant.EPOCH);
        }

        @Override
        public void serialize(TwinSnapshot s, DataOutputView out) throws IOException {
            StringValue.writeString(s.path(), out);
            StringValue.writeString(s.parentPath(), out);
            StringValue.writeString(s.dtType(), out);
            StringValue.writeString(s.instanceId(), out);
            out.writeLong(s.version());
            out.writeLong(s.sequence());
            Wire.writeTelemetry(s.state(), out);
            Wire.writeVarLong(s.operators().size(), out);
            for (OperatorSpec o : s.operators()) {
                Wire.writeOperator(o, out);
            }
            Wire.writeNullableInstant(s.updated(), out);
            Wire.writeVarLong(s.alarms().size(), out);
            for (ActiveAlarm a : s.alarms()) {
                StringValue.writeString(a.name(), out);
                StringValue.writeString(a.severity(), out);
                Wire.writeNullableInstant(a.since(), out);
            }
        }

        @Override
        public TwinSnapshot deserialize(DataInputView in) throws IOException {
            String path = StringValue.readString(in);
            String parentPath = StringValue.readString(in);
            String dtType = StringValue.readString(in);
            String instanceId = StringValue.readString(in);
            long version = in.readLong();
            long sequence = in.readLong();
            List<Telemetry> state = Wire.readTelemetry(in);
            OperatorSpec[] operators = new OperatorSpec[Wire.readCount(in)];
            for (int i = 0; i < operators.length; i++) {
                operators[i] = Wire.readOperator(in);
            }
            Instant updated = Wire.readNullableInstant(in);
            ActiveAlarm[] alarms = new ActiveAlarm[Wire.readCount(in)];
            for (int i = 0; i < alarms.length; i++) {
                alarms[i] =
                        new ActiveAlarm(
                                StringValue.readString(in),
                                StringValue.readString(in),
                                Wire.readNullableInstant(in));
            }
            return new TwinSnapshot(
                    path,
                    parentPath,
                    dtType,
                    instanceId,
                    version,
                    sequence,
                    state,
                    List.of(operators),
                    updated,
                    List.of(alarms));
        }

        @Override
        public TypeSerializerSnapshot<TwinSnapshot> snapshotConfiguration() {
            return new SnapshotSnapshot();
        }
    }

    /** Flink instantiates snapshots by class: public, with a public no-argument constructor. */
    public static final class EventSnapshot extends SimpleTypeSerializerSnapshot<TwinEvent> {
        public EventSnapshot() {
            super(() -> EventSerializer.INSTANCE);
        }
    }

    /** See {@link EventSnapshot}. */
    public static final class JournalEntrySnapshot
            extends SimpleTypeSerializerSnapshot<JournalEntry> {
        public JournalEntrySnapshot() {
            super(() -> JournalEntrySerializer.INSTANCE);
        }
    }

    /** See {@link EventSnapshot}. */
    public static final class SnapshotSnapshot extends SimpleTypeSerializerSnapshot<TwinSnapshot> {
        public SnapshotSnapshot() {
            super(() -> SnapshotSerializer.INSTANCE);
        }
    }
}
