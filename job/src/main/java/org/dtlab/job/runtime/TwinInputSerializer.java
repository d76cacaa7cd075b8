package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.telemetry.Contribution;
import org.dtlab.model.telemetry.TwinMessage;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The Flink serializer of {@link TwinInput}, written by hand: no reflection, no per-field null
 * markers beyond one flag byte per record part, and no field written twice. It carries the keyed
 * stream through the shuffle, the BATCH sorter of a back-test and the twin operator's keyed state
 * ({@link TwinFunction#PENDING}, {@link TwinFunction#HELD_BACK}).
 *
 * <p>Format 1 (see {@link TwinInputSerializerSnapshot} for how a change of format is handled):
 *
 * <pre>
 * record       header:byte path:str origin? message? contribution? heldSince:long?
 * header       bit 0 message, bit 1 contribution, bit 2 heldSince != 0,
 *              bits 3-4 origin (0 text follows, 1 "rollup", 2 "archive"), bits 5-6 command
 * message      flags:byte path:str? idx:zigzag? name:str value:double? datetime? operator?
 *              controlVersion:varlong?
 *              flags: bit 0 path differs from the record's (then written), bit 1 idx, bit 2 value,
 *              bit 3 datetime, bit 4 datetime in whole milliseconds, bit 5 operator,
 *              bit 6 controlVersion
 * contribution flags:byte parent:str? child:str childVersion:zigzag datetime? count:varint
 *              (rollup:str definition:int value:double)*
 *              flags: bit 0 parent differs from the record's path, bit 1 datetime,
 *              bit 2 datetime in whole milliseconds
 * operator     flags:byte name:str implementation:str count:varint double* count:varint zigzag*
 *              count:varint zigzag* created? expr:str when:str clear:str for:str severity:str
 *              agg:str size:str; flags: bit 0 created, bit 1 created in whole milliseconds
 * datetime     epoch milliseconds:long, or epoch seconds:long nanos:int (full Instant range)
 * str          Flink's StringValue encoding (null-safe, every char exact)
 * </pre>
 *
 * <p>Every part of a {@code TwinInput} is immutable, so copies are the instance itself.
 */
public final class TwinInputSerializer extends TypeSerializerSingleton<TwinInput> {

    private static final long serialVersionUID = 1L;

    /** The one instance: the serializer has no state. */
    public static final TwinInputSerializer INSTANCE = new TwinInputSerializer();

    /** The origin {@code ArchiveFilter} gives every record of a back-test archive. */
    static final String ARCHIVE_ORIGIN = "archive";

    // -- header
    private static final int HAS_MESSAGE = 1;
    private static final int HAS_CONTRIBUTION = 1 << 1;
    private static final int HELD = 1 << 2;
    private static final int ORIGIN_SHIFT = 3;
    private static final int ORIGIN_MASK = 3;
    private static final int ORIGIN_TEXT = 0;
    private static final int ORIGIN_ROLLUP = 1;
    private static final int ORIGIN_ARCHIVE = 2;
    private static final int COMMAND_SHIFT = 5;
    private static final int COMMAND_MASK = 3;

    private static final TwinMessage.Command[] COMMANDS = TwinMessage.Command.values();

    // -- message
    private static final int M_OWN_PATH = 1;
    private static final int M_IDX = 1 << 1;
    private static final int M_VALUE = 1 << 2;
    private static final int M_DATETIME = 1 << 3;
    private static final int M_MILLIS = 1 << 4;
    private static final int M_OPERATOR = 1 << 5;
    private static final int M_CONTROL_VERSION = 1 << 6;

    // -- contribution
    private static final int C_OWN_PARENT = 1;
    private static final int C_DATETIME = 1 << 1;
    private static final int C_MILLIS = 1 << 2;

    /** Use {@link #INSTANCE}; public for Flink, which may instantiate serializers by class. */
    public TwinInputSerializer() {}

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TwinInput createInstance() {
        return new TwinInput(null, null, null, null, 0);
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
    public void serialize(TwinInput record, DataOutputView out) throws IOException {
        TwinMessage message = record.message();
        Contribution contribution = record.contribution();
        String origin = record.origin();
        int originCode =
                TwinInput.ROLLUP_ORIGIN.equals(origin)
                        ? ORIGIN_ROLLUP
                        : ARCHIVE_ORIGIN.equals(origin) ? ORIGIN_ARCHIVE : ORIGIN_TEXT;
        int header = originCode << ORIGIN_SHIFT;
        if (message != null) {
            header |= HAS_MESSAGE | message.command().ordinal() << COMMAND_SHIFT;
        }
        if (contribution != null) {
            header |= HAS_CONTRIBUTION;
        }
        if (record.heldSince() != 0) {
            header |= HELD;
        }
        out.writeByte(header);
        StringValue.writeString(record.path(), out);
        if (originCode == ORIGIN_TEXT) {
            StringValue.writeString(origin, out);
        }
        if (message != null) {
            writeMessage(message, record.path(), out);
        }
        if (contribution != null) {
            writeContribution(contribution, record.path(), out);
        }
        if (record.heldSince() != 0) {
            out.writeLong(record.heldSince());
        }
    }

    @Override
    public TwinInput deserialize(DataInputView in) throws IOException {
        int header = in.readUnsignedByte();
        String path = StringValue.readString(in);
        String origin =
                switch (header >>> ORIGIN_SHIFT & ORIGIN_MASK) {
                    case ORIGIN_TEXT -> StringValue.readString(in);
                    case ORIGIN_ROLLUP -> TwinInput.ROLLUP_ORIGIN;
                    case ORIGIN_ARCHIVE -> ARCHIVE_ORIGIN;
                    default -> throw new IOException("corrupt TwinInput header " + header);
                };
        TwinMessage message =
                (header & HAS_MESSAGE) != 0
                        ? readMessage(COMMANDS[header >>> COMMAND_SHIFT & COMMAND_MASK], path, in)
                        : null;
        Contribution contribution =
                (header & HAS_CONTRIBUTION) != 0 ? readContribution(path, in) : null;
        long heldSince = (header & HELD) != 0 ? in.readLong() : 0;
        return new TwinInput(path, origin, message, contribution, heldSince);
    }

    @Override
    public TwinInput deserialize(TwinInput reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<TwinInput> snapshotConfiguration() {
        return new TwinInputSerializerSnapshot();
    }

    // -- message

    private static void writeMessage(TwinMessage m, String recordPath, DataOutputView out)
            throws IOException {
        boolean ownPath = !Objects.equals(m.path(), recordPath);
        Instant datetime = m.datetime();
        int flags = ownPath ? M_OWN_PATH : 0;
        if (m.idx() != null) {
            flags |= M_IDX;
        }
        if (m.value() != null) {
            flags |= M_VALUE;
        }
        if (datetime != null) {
            flags |= M_DATETIME | (Wire.inMillis(datetime) ? M_MILLIS : 0);
        }
        if (m.operator() != null) {
            flags |= M_OPERATOR;
        }
        if (m.controlVersion() != null) {
            flags |= M_CONTROL_VERSION;
        }
        out.writeByte(flags);
        if (ownPath) {
            StringValue.writeString(m.path(), out);
        }
        if (m.idx() != null) {
            Wire.writeVarLong(Wire.zigZag(m.idx()), out);
        }
        StringValue.writeString(m.name(), out);
        if (m.value() != null) {
            out.writeDouble(m.value());
        }
        if (datetime != null) {
            Wire.writeInstant(datetime, (flags & M_MILLIS) != 0, out);
        }
        if (m.operator() != null) {
            Wire.writeOperator(m.operator(), out);
        }
        if (m.controlVersion() != null) {
            Wire.writeVarLong(Wire.zigZag(m.controlVersion()), out);
        }
    }

    private static TwinMessage readMessage(
            TwinMessage.Command command, String recordPath, DataInputView in) throws IOException {
        int flags = in.readUnsignedByte();
        String path = (flags & M_OWN_PATH) != 0 ? StringValue.readString(in) : recordPath;
        Integer idx = (flags & M_IDX) != 0 ? (int) Wire.unZigZag(Wire.readVarLong(in)) : null;
        String name = StringValue.readString(in);
        Double value = (flags & M_VALUE) != 0 ? in.readDouble() : null;
        Instant datetime =
                (flags & M_DATETIME) != 0 ? Wire.readInstant((flags & M_MILLIS) != 0, in) : null;
        OperatorSpec operator = (flags & M_OPERATOR) != 0 ? Wire.readOperator(in) : null;
        Long controlVersion =
                (flags & M_CONTROL_VERSION) != 0 ? Wire.unZigZag(Wire.readVarLong(in)) : null;
        return new TwinMessage(path, command, idx, name, value, datetime, operator, controlVersion);
    }

    // -- contribution

    private static void writeContribution(Contribution c, String recordPath, DataOutputView out)
            throws IOException {
        boolean ownParent = !Objects.equals(c.parent(), recordPath);
        Instant datetime = c.datetime();
        int flags = ownParent ? C_OWN_PARENT : 0;
        if (datetime != null) {
            flags |= C_DATETIME | (Wire.inMillis(datetime) ? C_MILLIS : 0);
        }
        out.writeByte(flags);
        if (ownParent) {
            StringValue.writeString(c.parent(), out);
        }
        StringValue.writeString(c.child(), out);
        Wire.writeVarLong(Wire.zigZag(c.childVersion()), out);
        if (datetime != null) {
            Wire.writeInstant(datetime, (flags & C_MILLIS) != 0, out);
        }
        List<Contribution.Value> values = c.values();
        Wire.writeVarLong(values.size(), out);
        for (Contribution.Value v : values) {
            StringValue.writeString(v.rollup(), out);
            out.writeInt(v.definition());
            out.writeDouble(v.value());
        }
    }

    private static Contribution readContribution(String recordPath, DataInputView in)
            throws IOException {
        int flags = in.readUnsignedByte();
        String parent = (flags & C_OWN_PARENT) != 0 ? StringValue.readString(in) : recordPath;
        String child = StringValue.readString(in);
        long childVersion = Wire.unZigZag(Wire.readVarLong(in));
        Instant datetime =
                (flags & C_DATETIME) != 0 ? Wire.readInstant((flags & C_MILLIS) != 0, in) : null;
        Contribution.Value[] values = new Contribution.Value[Wire.readCount(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] =
                    new Contribution.Value(
                            StringValue.readString(in), in.readInt(), in.readDouble());
        }
        // List.of is immutable already, so the record's List.copyOf keeps it as it is.
        return new Contribution(parent, child, childVersion, datetime, List.of(values));
    }
}
