package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import org.dtlab.model.telemetry.Contribution;
import org.dtlab.model.telemetry.TwinMessage;

/**
 * A record of the keyed stream: the twin path (the key, in canonical form), where it came from (for
 * reject rows), and either a parsed message or — between the twin operators of two levels — what a
 * child contributes to the twin's roll-ups. {@code heldSince} is the processing time since which
 * the twin operator holds the message back (0 otherwise).
 *
 * <p>Flink serializes it with {@link TwinInputSerializer} (through {@link TwinInputTypeInfo}), not
 * with its reflective POJO serializer.
 */
@TypeInfo(TwinInputTypeInfo.Factory.class)
public record TwinInput(
        String path,
        String origin,
        TwinMessage message,
        Contribution contribution,
        long heldSince) {

    /** The origin of a child's contribution. */
    public static final String ROLLUP_ORIGIN = "rollup";

    public TwinInput(String path, String origin, TwinMessage message) {
        this(path, origin, message, null, 0);
    }

    public static TwinInput of(Contribution contribution) {
        return new TwinInput(contribution.parent(), ROLLUP_ORIGIN, null, contribution, 0);
    }

    /** This input, held back since {@code now}. */
    public TwinInput heldAt(long now) {
        return new TwinInput(path, origin, message, contribution, now);
    }

    /** The event time of the input. */
    public long timestamp() {
        return contribution != null
                ? contribution.datetime().toEpochMilli()
                : message.datetime().toEpochMilli();
    }
}
