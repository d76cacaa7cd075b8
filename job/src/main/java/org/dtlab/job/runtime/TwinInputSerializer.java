package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import org.dtlab.model.json.Json;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.telemetry.Contribution;
import org.dtlab.model.telemetry.TwinMessage;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The keyed record's serializer, written by hand: it goes through every shuffle, the BATCH sort of
 * back-tests and the twin operator's pending and held-back state, where Flink's reflective record
 * serializer cost more than the twin logic. Fields are written only when present (a mask byte), a
 * message's path only when it differs from the key, and an operator definition — rare — as JSON.
 *
 * <p>Records are immutable, so a copy is the record itself.
 */
public final class TwinInputSerializer extends TypeSerializerSingleton<TwinInput> {

    private static final long serialVersionUID = 1L;

    public static final TwinInputSerializer INSTANCE = new TwinInputSerializer();

    private static final TwinInput EMPTY = new TwinInput("", null, null, null, 0);
    private static final TwinMessage.Command[] COMMANDS = TwinMessage.Command.values();

    private static final int KIND_MESSAGE = 0;
    private static final int KIND_CONTRIBUTION = 1;

    private static final int OTHER_PATH = 1;
    private static final int IDX = 2;
    private static final int NAME = 4;
    private static final int VALUE = 8;
    private static final int DATETIME = 16;
    private static final int OPERATOR = 32;
    private static final int CONTROL_VERSION = 64;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TwinInput createInstance() {
        return EMPTY;
    }

    @Override
    public TwinInput copy(TwinInput from) {
        return from;
    }

    @Override
    public TwinInput copy(TwinInput from, TwinInput reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(TwinInput input, DataOutputView out) throws IOException {
        StringValue.writeString(input.path(), out);
        StringValue.writeString(input.origin(), out);
        out.writeLong(input.heldSince());
        if (input.contribution() != null) {
            out.writeByte(KIND_CONTRIBUTION);
            writeContribution(input.path(), input.contribution(), out);
        } else {
            out.writeByte(KIND_MESSAGE);
            writeMessage(input.path(), input.message(), out);
        }
    }

    @Override
    public TwinInput deserialize(DataInputView in) throws IOException {
        String path = StringValue.readString(in);
        String origin = StringValue.readString(in);
        long heldSince = in.readLong();
        if (in.readByte() == KIND_CONTRIBUTION) {
            return new TwinInput(path, origin, null, readContribution(path, in), heldSince);
        }
        return new TwinInput(path, origin, readMessage(path, in), null, heldSince);
    }

    @Override
    public TwinInput deserialize(TwinInput reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    private static void writeMessage(String key, TwinMessage m, DataOutputView out)
            throws IOException {
        int mask =
                (m.path().equals(key) ? 0 : OTHER_PATH)
                        | (m.idx() != null ? IDX : 0)
                        | (m.name() != null ? NAME : 0)
                        | (m.value() != null ? VALUE : 0)
                        | (m.datetime() != null ? DATETIME : 0)
                        | (m.operator() != null ? OPERATOR : 0)
                        | (m.controlVersion() != null ? CONTROL_VERSION : 0);
        out.writeByte(m.command().ordinal());
        out.writeByte(mask);
        if ((mask & OTHER_PATH) != 0) {
            StringValue.writeString(m.path(), out);
        }
        if ((mask & IDX) != 0) {
            out.writeInt(m.idx());
        }
        if ((mask & NAME) != 0) {
            StringValue.writeString(m.name(), out);
        }
        if ((mask & VALUE) != 0) {
            out.writeDouble(m.value());
        }
        if ((mask & DATETIME) != 0) {
            writeInstant(m.datetime(), out);
        }
        if ((mask & OPERATOR) != 0) {
            StringValue.writeString(Json.mapper().writeValueAsString(m.operator()), out);
        }
        if ((mask & CONTROL_VERSION) != 0) {
            out.writeLong(m.controlVersion());
        }
    }

    private static TwinMessage readMessage(String key, DataInputView in) throws IOException {
        TwinMessage.Command command = COMMANDS[in.readByte()];
        int mask = in.readByte();
        String path = (mask & OTHER_PATH) != 0 ? StringValue.readString(in) : key;
        Integer idx = (mask & IDX) != 0 ? in.readInt() : null;
        String name = (mask & NAME) != 0 ? StringValue.readString(in) : null;
        Double value = (mask & VALUE) != 0 ? in.readDouble() : null;
        Instant datetime = (mask & DATETIME) != 0 ? readInstant(in) : null;
        OperatorSpec operator =
                (mask & OPERATOR) != 0
                        ? Json.mapper().readValue(StringValue.readString(in), OperatorSpec.class)
                        : null;
        Long controlVersion = (mask & CONTROL_VERSION) != 0 ? in.readLong() : null;
        return new TwinMessage(path, command, idx, name, value, datetime, operator, controlVersion);
    }

    private static void writeContribution(String key, Contribution c, DataOutputView out)
            throws IOException {
        boolean otherParent = !c.parent().equals(key);
        out.writeBoolean(otherParent);
        if (otherParent) {
            StringValue.writeString(c.parent(), out);
        }
        StringValue.writeString(c.child(), out);
        out.writeLong(c.childVersion());
        writeInstant(c.datetime(), out);
        out.writeInt(c.values().size());
        for (Contribution.Value v : c.values()) {
            StringValue.writeString(v.rollup(), out);
            out.writeInt(v.definition());
            out.writeDouble(v.value());
        }
    }

    private static Contribution readContribution(String key, DataInputView in) throws IOException {
        String parent = in.readBoolean() ? StringValue.readString(in) : key;
        String child = StringValue.readString(in);
        long childVersion = in.readLong();
        Instant datetime = readInstant(in);
        int n = in.readInt();
        List<Contribution.Value> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(
                    new Contribution.Value(
                            StringValue.readString(in), in.readInt(), in.readDouble()));
        }
        return new Contribution(parent, child, childVersion, datetime, values);
    }

    private static void writeInstant(Instant instant, DataOutputView out) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInputView in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    @Override
    public TypeSerializerSnapshot<TwinInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Version 1 of the format above. State written before it existed (by Flink's reflective record
     * serializer, up to dtlab 0.1) is read with that serializer and rewritten with this one.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TwinInput> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<TwinInput> resolveSchemaCompatibility(
                TypeSerializerSnapshot<TwinInput> old) {
            return old instanceof Snapshot
                    ? super.resolveSchemaCompatibility(old)
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
