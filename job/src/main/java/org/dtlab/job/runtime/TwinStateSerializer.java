package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.state.OperatorMemory;
import org.dtlab.model.state.TwinState;

import java.io.IOException;
import java.util.List;

/**
 * The Flink serializer of {@link TwinState}, the twin operator's keyed state ({@link
 * TwinFunction#TWIN_STATE}), written by hand. RocksDB keeps state serialized, so every observation
 * reads and writes a twin's state once: Flink's POJO serializer built the record (and each {@code
 * Telemetry} in it) reflectively, about a tenth of the twin operator's time (docs/benchmarks.md).
 *
 * <p>Format 1 (see {@link FormatSnapshot} for how a change of format is handled):
 *
 * <pre>
 * state      sequence:varlong version:varlong telemetry operators memory
 * telemetry  count:varint (idx:zigzag value:double datetime)*        (as Wire writes telemetry)
 * operators  count:varint operator*                                   (as Wire writes operators)
 * memory     count:varint (operator:str definition:str deadline:long count:varint double*)*
 * </pre>
 *
 * <p>A {@code TwinState} is immutable, so copies are the instance itself.
 */
public final class TwinStateSerializer extends TypeSerializerSingleton<TwinState> {

    private static final long serialVersionUID = 1L;

    /** The one instance: the serializer has no state. */
    public static final TwinStateSerializer INSTANCE = new TwinStateSerializer();

    /** The type information that gives this serializer. */
    public static final TypeInformation<TwinState> TYPE =
            new ImmutableTypeInfo<>(TwinState.class, INSTANCE);

    /** Use {@link #INSTANCE}; public for Flink, which may instantiate serializers by class. */
    public TwinStateSerializer() {}

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TwinState createInstance() {
        return TwinState.EMPTY;
    }

    @Override
    public TwinState copy(TwinState from) {
        return from;
    }

    @Override
    public TwinState copy(TwinState from, TwinState reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(TwinState state, DataOutputView out) throws IOException {
        Wire.writeVarLong(state.sequence(), out);
        Wire.writeVarLong(state.version(), out);
        Wire.writeTelemetry(state.properties(), out);
        List<OperatorSpec> operators = state.operators();
        Wire.writeVarLong(operators.size(), out);
        for (OperatorSpec operator : operators) {
            Wire.writeOperator(operator, out);
        }
        List<OperatorMemory> memory = state.memory();
        Wire.writeVarLong(memory.size(), out);
        for (OperatorMemory m : memory) {
            StringValue.writeString(m.operator(), out);
            StringValue.writeString(m.definition(), out);
            out.writeLong(m.deadline());
            double[] values = m.values();
            Wire.writeVarLong(values.length, out);
            for (double v : values) {
                out.writeDouble(v);
            }
        }
    }

    @Override
    public TwinState deserialize(DataInputView in) throws IOException {
        long sequence = Wire.readVarLong(in);
        long version = Wire.readVarLong(in);
        var properties = Wire.readTelemetry(in);
        OperatorSpec[] operators = new OperatorSpec[Wire.readCount(in)];
        for (int i = 0; i < operators.length; i++) {
            operators[i] = Wire.readOperator(in);
        }
        OperatorMemory[] memory = new OperatorMemory[Wire.readCount(in)];
        for (int i = 0; i < memory.length; i++) {
            String operator = StringValue.readString(in);
            String definition = StringValue.readString(in);
            long deadline = in.readLong();
            double[] values = new double[Wire.readCount(in)];
            for (int v = 0; v < values.length; v++) {
                values[v] = in.readDouble();
            }
            memory[i] = new OperatorMemory(operator, definition, deadline, values);
        }
        return new TwinState(sequence, version, properties, List.of(operators), List.of(memory));
    }

    @Override
    public TwinState deserialize(TwinState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<TwinState> snapshotConfiguration() {
        return new TwinStateSerializerSnapshot();
    }
}
