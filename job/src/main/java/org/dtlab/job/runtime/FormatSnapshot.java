package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * The snapshot of a hand-written serializer that keeps state: written into checkpoints and
 * savepoints next to the state it wrote. The serializers have no parameters, so the format version
 * is all a snapshot holds.
 *
 * <p>When a job restores state, Flink asks the new serializer's snapshot what it makes of the old
 * one ({@link #resolveSchemaCompatibility}):
 *
 * <ul>
 *   <li>the same format: compatible as is;
 *   <li>state written by Flink's POJO serializer (savepoints taken before the job had the
 *       hand-written serializer; Flink served these records as POJOs): compatible after migration,
 *       so Flink reads the state with the POJO serializer the savepoint describes and writes it
 *       anew (RocksDB: once, while restoring; heap: on the next snapshot);
 *   <li>anything else: incompatible, and the restore fails.
 * </ul>
 *
 * <p>A future format 2 bumps the current version, keeps a reader of format 1 that {@link
 * #restoreSerializer()} returns for a version-1 snapshot, and answers "compatible after migration"
 * for it.
 */
abstract class FormatSnapshot<T> implements TypeSerializerSnapshot<T> {

    private final String typeName;
    private final int currentVersion;
    private int version;

    FormatSnapshot(String typeName, int currentVersion) {
        this.typeName = typeName;
        this.currentVersion = currentVersion;
        this.version = currentVersion;
    }

    /** The serializer that reads a format this job knows. */
    abstract TypeSerializer<T> serializerOf(int format);

    @Override
    public final int getCurrentVersion() {
        return currentVersion;
    }

    @Override
    public final void writeSnapshot(DataOutputView out) {
        // nothing besides the version, which Flink writes
    }

    @Override
    public final void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
            throws IOException {
        if (readVersion < 1 || readVersion > currentVersion) {
            throw new IOException(
                    typeName
                            + " serializer format "
                            + readVersion
                            + " is unknown to this version of the job (it reads 1 to "
                            + currentVersion
                            + ")");
        }
        version = readVersion;
    }

    @Override
    public final TypeSerializer<T> restoreSerializer() {
        return serializerOf(version);
    }

    @Override
    public final TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> oldSnapshot) {
        if (oldSnapshot.getClass() == getClass()) {
            return ((FormatSnapshot<T>) oldSnapshot).version == currentVersion
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        // The state descriptors that use these serializers only ever held this type, so a POJO
        // snapshot under them is one of this type.
        if (oldSnapshot instanceof PojoSerializerSnapshot) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }

    /** The format version this snapshot describes. */
    final int version() {
        return version;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null
                && o.getClass() == getClass()
                && ((FormatSnapshot<?>) o).version == version;
    }

    @Override
    public final int hashCode() {
        return version;
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "{version=" + version + "}";
    }
}
