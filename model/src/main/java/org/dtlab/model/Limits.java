package org.dtlab.model;

/**
 * Limits that more than one component enforces, in one place: what the query service accepts, the
 * job accepts. Limits of one definition kind live beside it ({@code Operators.MAX_OPERATORS},
 * {@code OperatorSpec.MAX_INDEXES}, {@code Rollup.MAX_CHILDREN}); docs/api.md lists them all.
 */
public final class Limits {

    /**
     * The largest Kafka record (observation or control) the job reads by default, in bytes; a
     * bigger one is a reject. The query service refuses to write one (413), so the two never
     * disagree.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = 256 * 1024;

    /**
     * Properties a type may have: every telemetry rewrites its twin's state row with all of them,
     * so a twin of 25,000 would slow every other twin on its worker.
     */
    public static final int MAX_PROPS = 1024;

    private Limits() {}
}
