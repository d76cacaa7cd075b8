package org.dtlab.model.logic;

import org.dtlab.model.state.TwinState;

/**
 * The outcome of one telemetry: the twin's next state, and whether its values changed (a new idx
 * or a different value; a new datetime alone is not a change).
 */
public record Transition(TwinState state, boolean changed) {}
