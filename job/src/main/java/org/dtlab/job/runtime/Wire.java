package org.dtlab.job.runtime;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.telemetry.Telemetry;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The encodings the hand-written serializers share ({@link TwinInputSerializer}, {@link
 * TwinOutputSerializers}): varints, datetimes at full {@code Instant} range and precision, operator
 * specs and telemetry lists. Changing one changes the format of every serializer that uses it.
 */
final class Wire {

    private static final int O_CREATED = 1;
    private static final int O_MILLIS = 1 << 1;

    /** Epoch seconds whose instants fit in a long of epoch milliseconds, with room to spare. */
    private static final long MAX_MILLI_SECONDS = Long.MAX_VALUE / 1000 - 1;

    private Wire() {}

    // -- telemetry: idx:zigzag value:double millis-flag:byte datetime

    static void writeTelemetry(List<Telemetry> values, DataOutputView out) throws IOException {
        writeVarLong(values.size(), out);
        for (Telemetry t : values) {
            writeVarLong(zigZag(t.idx()), out);
            out.writeDouble(t.value());
            writeInstant(t.datetime(), out);
        }
    }

    static List<Telemetry> readTelemetry(DataInputView in) throws IOException {
        Telemetry[] values = new Telemetry[readCount(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] =
                    new Telemetry(
                            (int) unZigZag(readVarLong(in)), in.readDouble(), readInstant(in));
        }
        return List.of(values);
    }

    /** A datetime after a byte that says how it is written (1: whole milliseconds). */
    static void writeInstant(Instant t, DataOutputView out) throws IOException {
        boolean millis = inMillis(t);
        out.writeBoolean(millis);
        writeInstant(t, millis, out);
    }

    static Instant readInstant(DataInputView in) throws IOException {
        return readInstant(in.readBoolean(), in);
    }

    /** A nullable datetime: a byte (0 null, 1 whole milliseconds, 2 seconds and nanos), then it. */
    static void writeNullableInstant(Instant t, DataOutputView out) throws IOException {
        if (t == null) {
            out.writeByte(0);
        } else {
            boolean millis = inMillis(t);
            out.writeByte(millis ? 1 : 2);
            writeInstant(t, millis, out);
        }
    }

    static Instant readNullableInstant(DataInputView in) throws IOException {
        int kind = in.readUnsignedByte();
        return kind == 0 ? null : readInstant(kind == 1, in);
    }

    // -- operator spec (operator.put only: rare, but kept field by field for exact round trips)

    static void writeOperator(OperatorSpec o, DataOutputView out) throws IOException {
        Instant created = o.created();
        int flags = 0;
        if (created != null) {
            flags |= O_CREATED | (inMillis(created) ? O_MILLIS : 0);
        }
        out.writeByte(flags);
        StringValue.writeString(o.name(), out);
        StringValue.writeString(o.implementation(), out);
        writeVarLong(o.params().size(), out);
        for (double p : o.params()) {
            out.writeDouble(p);
        }
        writeInts(o.input(), out);
        writeInts(o.output(), out);
        if (created != null) {
            writeInstant(created, (flags & O_MILLIS) != 0, out);
        }
        StringValue.writeString(o.expr(), out);
        StringValue.writeString(o.when(), out);
        StringValue.writeString(o.clear(), out);
        StringValue.writeString(o.forDuration(), out);
        StringValue.writeString(o.severity(), out);
        StringValue.writeString(o.agg(), out);
        StringValue.writeString(o.size(), out);
    }

    static OperatorSpec readOperator(DataInputView in) throws IOException {
        int flags = in.readUnsignedByte();
        String name = StringValue.readString(in);
        String implementation = StringValue.readString(in);
        Double[] params = new Double[readCount(in)];
        for (int i = 0; i < params.length; i++) {
            params[i] = in.readDouble();
        }
        List<Integer> input = readInts(in);
        List<Integer> output = readInts(in);
        Instant created =
                (flags & O_CREATED) != 0 ? readInstant((flags & O_MILLIS) != 0, in) : null;
        return new OperatorSpec(
                name,
                implementation,
                List.of(params),
                input,
                output,
                created,
                StringValue.readString(in),
                StringValue.readString(in),
                StringValue.readString(in),
                StringValue.readString(in),
                StringValue.readString(in),
                StringValue.readString(in),
                StringValue.readString(in));
    }

    static void writeInts(List<Integer> values, DataOutputView out) throws IOException {
        writeVarLong(values.size(), out);
        for (int v : values) {
            writeVarLong(zigZag(v), out);
        }
    }

    static List<Integer> readInts(DataInputView in) throws IOException {
        Integer[] values = new Integer[readCount(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (int) unZigZag(readVarLong(in));
        }
        return List.of(values);
    }

    // -- primitives

    /** Whether an instant is a whole number of milliseconds that a long of them can hold. */
    static boolean inMillis(Instant t) {
        long seconds = t.getEpochSecond();
        return t.getNano() % 1_000_000 == 0
                && seconds <= MAX_MILLI_SECONDS
                && seconds >= -MAX_MILLI_SECONDS;
    }

    static void writeInstant(Instant t, boolean millis, DataOutputView out) throws IOException {
        if (millis) {
            out.writeLong(t.getEpochSecond() * 1000 + t.getNano() / 1_000_000);
        } else {
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        }
    }

    static Instant readInstant(boolean millis, DataInputView in) throws IOException {
        return millis
                ? Instant.ofEpochMilli(in.readLong())
                : Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unZigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** An unsigned LEB128 varint: 7 bits a byte, low bits first. */
    static void writeVarLong(long v, DataOutputView out) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readVarLong(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("corrupt varint");
    }

    static int readCount(DataInputView in) throws IOException {
        long count = readVarLong(in);
        if (count < 0 || count > Integer.MAX_VALUE - 8) {
            throw new IOException("corrupt count: " + count);
        }
        return (int) count;
    }
}
