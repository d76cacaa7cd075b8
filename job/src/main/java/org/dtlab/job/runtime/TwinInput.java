package org.dtlab.job.runtime;

import org.dtlab.model.telemetry.TwinMessage;

/**
 * A parsed record of the keyed stream: the message, its twin path (the key, in canonical form),
 * and where it came from (for reject rows).
 */
public record TwinInput(String path, String origin, TwinMessage message) {}
