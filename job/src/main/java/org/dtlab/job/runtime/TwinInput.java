package org.dtlab.job.runtime;

import org.dtlab.model.telemetry.TwinMessage;

/**
 * A parsed record of the keyed stream: the message, its twin path (the key, in canonical form),
 * where it came from (for reject rows), and — while the twin operator holds it back — since when
 * (processing time, 0 otherwise).
 */
public record TwinInput(String path, String origin, TwinMessage message, long heldSince) {

    public TwinInput(String path, String origin, TwinMessage message) {
        this(path, origin, message, 0);
    }
}
