package org.dtlab.job.runtime;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * The type of {@link TwinInput} for Flink: serialized by {@link TwinInputSerializer}. Attached to
 * the record with {@code @TypeInfo}, so {@code TypeInformation.of(TwinInput.class)} finds it
 * everywhere.
 */
public final class TwinInputTypeInfo extends TypeInformation<TwinInput> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<TwinInput> getTypeClass() {
        return TwinInput.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<TwinInput> createSerializer(SerializerConfig config) {
        return TwinInputSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "TwinInput";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TwinInputTypeInfo;
    }

    @Override
    public int hashCode() {
        return TwinInput.class.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof TwinInputTypeInfo;
    }

    /**
     * Found by Flink's type extraction through the {@code @TypeInfo} annotation on {@link
     * TwinInput}.
     */
    public static final class Factory extends TypeInfoFactory<TwinInput> {
        @Override
        public TypeInformation<TwinInput> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> parameters) {
            return new TwinInputTypeInfo();
        }
    }
}
