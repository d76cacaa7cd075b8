package org.dtlab.job.runtime;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * The type information of {@link TwinInput}: its hand-written {@link TwinInputSerializer} instead
 * of Flink's reflective POJO serializer. {@code TwinInput} names {@link Factory} in its
 * {@code @TypeInfo} annotation, so {@code TypeInformation.of(TwinInput.class)}, output tags and
 * state descriptors all get this one.
 */
public final class TwinInputTypeInfo extends TypeInformation<TwinInput> {

    private static final long serialVersionUID = 1L;

    /** The one instance. */
    public static final TwinInputTypeInfo INSTANCE = new TwinInputTypeInfo();

    private TwinInputTypeInfo() {}

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
        return "TwinInputTypeInfo";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof TwinInputTypeInfo;
    }

    @Override
    public int hashCode() {
        return TwinInput.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof TwinInputTypeInfo;
    }

    /** Named by {@code TwinInput}'s {@code @TypeInfo}; Flink instantiates it by class. */
    public static final class Factory extends TypeInfoFactory<TwinInput> {

        @Override
        public TypeInformation<TwinInput> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
