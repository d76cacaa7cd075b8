package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * The snapshot of {@link TwinInputSerializer}, written into checkpoints and savepoints next to the
 * state it wrote. Its version is the serializer's format version: the serializer has no parameters,
 * so the version is all a snapshot holds.
 *
 * <p>When a job restores state, Flink asks the new serializer's snapshot what it makes of the old
 * one ({@link #resolveSchemaCompatibility}):
 *
 * <ul>
 *   <li>the same format: compatible as is;
 *   <li>state written by Flink's POJO serializer (savepoints taken before the job had this
 *       serializer; it served {@code TwinInput} as a record): compatible after migration, so Flink
 *       reads the state with the POJO serializer the savepoint describes and writes it anew with
 *       this one (RocksDB: once, while restoring; heap: on the next snapshot);
 *   <li>anything else: incompatible, and the restore fails.
 * </ul>
 *
 * <p>A future format 2 bumps {@link #CURRENT_VERSION}, keeps a reader of format 1 that {@link
 * #restoreSerializer()} returns for a version-1 snapshot, and answers "compatible after migration"
 * for it.
 */
public final class TwinInputSerializerSnapshot implements TypeSerializerSnapshot<TwinInput> {

    /** The format {@link TwinInputSerializer} writes. */
    static final int CURRENT_VERSION = 1;

    private int version = CURRENT_VERSION;

    /** For Flink, which reads snapshots by class name; also the snapshot of the current format. */
    public TwinInputSerializerSnapshot() {}

    @Override
    public int getCurrentVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) {
        // nothing besides the version, which Flink writes
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
            throws IOException {
        if (readVersion < 1 || readVersion > CURRENT_VERSION) {
            throw new IOException(
                    "TwinInput serializer format "
                            + readVersion
                            + " is unknown to this version of the job (it reads 1 to "
                            + CURRENT_VERSION
                            + ")");
        }
        version = readVersion;
    }

    @Override
    public TypeSerializer<TwinInput> restoreSerializer() {
        // Only format 1 exists.
        return TwinInputSerializer.INSTANCE;
    }

    @Override
    public TypeSerializerSchemaCompatibility<TwinInput> resolveSchemaCompatibility(
            TypeSerializerSnapshot<TwinInput> oldSnapshot) {
        if (oldSnapshot instanceof TwinInputSerializerSnapshot old) {
            return old.version == CURRENT_VERSION
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        // The descriptors that use this serializer (TwinFunction's held-back and pending inputs)
        // only ever held TwinInputs, so a POJO snapshot under them is one of TwinInput.
        if (oldSnapshot instanceof PojoSerializerSnapshot) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }

    /** The format version this snapshot describes. */
    int version() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TwinInputSerializerSnapshot other && other.version == version;
    }

    @Override
    public int hashCode() {
        return version;
    }

    @Override
    public String toString() {
        return "TwinInputSerializerSnapshot{version=" + version + "}";
    }
}
